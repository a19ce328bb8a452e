import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { createdAt, id, updatedAt } from "./columns.ts";
import { communities } from "./communities.ts";

export const MODULE_ENGINES = ["builtin", "webhook", "lambda", "openwhisk"] as const;
export type ModuleEngine = (typeof MODULE_ENGINES)[number];

/**
 * A module: what runs it (engine + its config) and what makes it run (commands it provides,
 * platform events it listens to). The engine config (URL, secret, ARN, OpenWhisk action...)
 * is validated by zod where it is read (workers/router/src/modules/config.ts); secrets in it
 * are never returned by the API nor logged.
 */
export const modules = sqliteTable("modules", {
  id: id(),
  name: text("name").notNull().unique(),
  engine: text("engine", { enum: MODULE_ENGINES }).notNull(),
  config: text("config", { mode: "json" }).$type<Record<string, unknown>>().notNull(),
  /** Command names it answers (prefix `!` for builtin/webhook, `#` for lambda/openwhisk). */
  commands: text("commands", { mode: "json" }).$type<string[]>().notNull().default([]),
  /** Event types that trigger it (follow, subscribe, raid, ...). */
  triggers: text("triggers", { mode: "json" }).$type<string[]>().notNull().default([]),
  /** Lower runs first when several modules answer one event. */
  priority: integer("priority").notNull().default(100),
  /** May run at the same time as other parallel modules for one event. */
  parallel: integer("parallel", { mode: "boolean" }).notNull().default(false),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

/** A module installed in a community. */
export const moduleInstallations = sqliteTable(
  "module_installations",
  {
    id: id(),
    communityId: text("community_id")
      .notNull()
      .references(() => communities.id, { onDelete: "cascade" }),
    moduleId: text("module_id")
      .notNull()
      .references(() => modules.id, { onDelete: "cascade" }),
    enabled: integer("enabled", { mode: "boolean" }).notNull().default(true),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("module_installations_community_module").on(t.communityId, t.moduleId),
    index("module_installations_module").on(t.moduleId),
  ],
);
