import { primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { createdAt } from "../../../../lib/db/schema/columns.ts";
import { communities } from "../../../../lib/db/schema/communities.ts";

/** `!alias add so !shoutout {args}`: `!so …` runs `!shoutout …` (expanded once). */
export const commandAliases = sqliteTable(
  "command_aliases",
  {
    communityId: text("community_id")
      .notNull()
      .references(() => communities.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    target: text("target").notNull(),
    createdBy: text("created_by").notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.communityId, t.name] })],
);
