import { integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { communities } from "../../../../lib/db/schema/communities.ts";

/** Tokens and questions per community per UTC day (the daily budget), and each asker's last question. */
export const aiUsage = sqliteTable(
  "ai_usage",
  {
    communityId: text("community_id")
      .notNull()
      .references(() => communities.id, { onDelete: "cascade" }),
    /** `day:YYYY-MM-DD` for the community's totals, `user:<platform>:<id>` for one asker. */
    key: text("key").notNull(),
    tokens: integer("tokens").notNull().default(0),
    calls: integer("calls").notNull().default(0),
    lastAt: integer("last_at").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.communityId, t.key] })],
);
