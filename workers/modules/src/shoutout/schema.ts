import { integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { communities } from "../../../../lib/db/schema/communities.ts";

/** When each Twitch login was last shouted out in a community (the per-target cooldown). */
export const shoutoutLog = sqliteTable(
  "shoutout_log",
  {
    communityId: text("community_id")
      .notNull()
      .references(() => communities.id, { onDelete: "cascade" }),
    login: text("login").notNull(),
    at: integer("at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.communityId, t.login] })],
);
