import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { createdAt, id, updatedAt } from "./columns.ts";
import { communities } from "./communities.ts";
import { users } from "./users.ts";

export const MODULE_ENGINES = ["builtin", "webhook", "lambda", "openwhisk"] as const;
export type ModuleEngine = (typeof MODULE_ENGINES)[number];

/**
 * A module: what runs it (engine + its config) and what makes it run (commands it provides,
 * platform events it listens to). The engine config (URL, secret, ARN, OpenWhisk action...)
 * is validated by zod where it is read (workers/router/src/modules/config.ts); secrets in it
 * are never returned by the API nor logged.
 *
 * Two kinds share the table (and so one global namespace of names): a community's own module
 * (`latestVersion` null; engine, config, commands and triggers here) and a marketplace module
 * (`latestVersion` set; what runs lives in `module_versions`, secrets in the installation).
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
  /** Marketplace: who published it (null for a community's own module or a first-party one). */
  authorId: text("author_id").references(() => users.id, { onDelete: "set null" }),
  displayName: text("display_name"),
  description: text("description").notNull().default(""),
  /** Hierarchical paths, e.g. `games/trivia`. */
  categories: text("categories", { mode: "json" }).$type<string[]>().notNull().default([]),
  /** Free-form labels for search and filter (normalised lowercase). */
  labels: text("labels", { mode: "json" }).$type<string[]>().notNull().default([]),
  homepage: text("homepage"),
  iconUrl: text("icon_url"),
  /**
   * A private module, installable only in this community and never listed (a community's own
   * module moved onto versions and installations by marketplace/migrate-legacy.ts).
   */
  ownerCommunityId: text("owner_community_id").references(() => communities.id, { onDelete: "cascade" }),
  /** The highest published semver; null = not a marketplace module. */
  latestVersion: text("latest_version"),
  /**
   * Lowercased name, description, labels and command names, for the marketplace search (a
   * LIKE over this column rather than FTS5: a D1 database with an FTS5 table cannot be exported
   * with `wrangler d1 export`, and the catalogue is small).
   */
  searchText: text("search_text").notNull().default(""),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

/** One command a module version registers, as its manifest declares it. */
export interface ModuleCommandSpec {
  name: string;
  description: string;
  arguments: { name: string; description: string; required: boolean }[];
  minLevel: "everyone" | "subscriber" | "vip" | "moderator" | "admin" | "owner";
  globalCooldownSec: number;
  userCooldownSec: number;
}

/** An immutable published version of a marketplace module (only `yankedAt` ever changes). */
export const moduleVersions = sqliteTable(
  "module_versions",
  {
    id: id(),
    moduleId: text("module_id")
      .notNull()
      .references(() => modules.id, { onDelete: "cascade" }),
    version: text("version").notNull(),
    engine: text("engine", { enum: MODULE_ENGINES }).notNull(),
    /** The engine config without secrets (URL, function, action...); secrets are the installation's. */
    config: text("config", { mode: "json" }).$type<Record<string, unknown>>().notNull(),
    commands: text("commands", { mode: "json" }).$type<ModuleCommandSpec[]>().notNull().default([]),
    events: text("events", { mode: "json" }).$type<string[]>().notNull().default([]),
    /** The JSON-schema subset of the settings a community fills in at install. */
    settingsSchema: text("settings_schema", { mode: "json" }).$type<Record<string, unknown>>().notNull(),
    permissions: text("permissions", { mode: "json" }).$type<string[]>().notNull().default([]),
    /** Monthly price in the currency's minor unit; 0 = free. */
    priceMonthly: integer("price_monthly").notNull().default(0),
    currency: text("currency").notNull().default("usd"),
    priority: integer("priority").notNull().default(100),
    parallel: integer("parallel", { mode: "boolean" }).notNull().default(false),
    yankedAt: integer("yanked_at", { mode: "timestamp_ms" }),
    yankReason: text("yank_reason"),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("module_versions_module_version").on(t.moduleId, t.version)],
);

/** A per-command override chosen by the community: another name, level or cooldowns. */
export interface CommandOverride {
  alias?: string;
  minLevel?: ModuleCommandSpec["minLevel"];
  globalCooldownSec?: number;
  userCooldownSec?: number;
}

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
    /** Marketplace installs: the version that runs (null for a community's own module). */
    versionId: text("version_id").references(() => moduleVersions.id),
    settings: text("settings", { mode: "json" }).$type<Record<string, unknown>>().notNull().default({}),
    /** The installation's own engine secrets as sealed JSON (SEALED_COLUMNS; context = this row's id). */
    secrets: text("secrets"),
    /** Per module command (its manifest name): the community's alias, level and cooldowns. */
    overrides: text("overrides", { mode: "json" }).$type<Record<string, CommandOverride>>().notNull().default({}),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("module_installations_community_module").on(t.communityId, t.moduleId),
    index("module_installations_module").on(t.moduleId),
  ],
);
