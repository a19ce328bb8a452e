import { integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { createdAt, id } from "../../../../lib/db/schema/columns.ts";
import { communities } from "../../../../lib/db/schema/communities.ts";

/**
 * A timer: `message` posted in one channel every `intervalMin` minutes while the stream is live,
 * and only if the channel had at least `minLines` chat lines since the timer last spoke.
 * The schedule and the line counts live in the community's ModuleScheduler object.
 */
export const moduleTimers = sqliteTable(
  "module_timers",
  {
    id: id(),
    communityId: text("community_id")
      .notNull()
      .references(() => communities.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    platform: text("platform").notNull(),
    channelId: text("channel_id").notNull(),
    message: text("message").notNull(),
    intervalMin: integer("interval_min").notNull(),
    minLines: integer("min_lines").notNull().default(0),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("module_timers_name").on(t.communityId, t.name)],
);
