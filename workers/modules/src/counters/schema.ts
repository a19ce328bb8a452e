import { integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { communities } from "../../../../lib/db/schema/communities.ts";

/** The counters module: one named number per community (`!deaths`, `{counter:deaths}`). */
export const moduleCounters = sqliteTable(
  "module_counters",
  {
    communityId: text("community_id")
      .notNull()
      .references(() => communities.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    value: integer("value").notNull().default(0),
    updatedAt: integer("updated_at", { mode: "timestamp_ms" })
      .notNull()
      .$defaultFn(() => new Date()),
  },
  (t) => [primaryKey({ columns: [t.communityId, t.name] })],
);
