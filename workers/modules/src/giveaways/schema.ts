import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { createdAt, id } from "../../../../lib/db/schema/columns.ts";
import { communities } from "../../../../lib/db/schema/communities.ts";

export const GIVEAWAY_STATUSES = ["open", "closed", "cancelled"] as const;

/** A giveaway: entries by keyword until `endsAt`, then drawn (and re-drawn) by a moderator. */
export const giveaways = sqliteTable(
  "giveaways",
  {
    id: id(),
    communityId: text("community_id")
      .notNull()
      .references(() => communities.id, { onDelete: "cascade" }),
    keyword: text("keyword").notNull(),
    status: text("status", { enum: GIVEAWAY_STATUSES }).notNull().default("open"),
    endsAt: integer("ends_at", { mode: "timestamp_ms" }).notNull(),
    /** Entries a subscriber gets (1 = no luck); fixed when the giveaway starts. */
    subscriberLuck: integer("subscriber_luck").notNull().default(1),
    startedBy: text("started_by").notNull(),
    /** The winners so far, in draw order (a re-draw appends; earlier winners cannot win again). */
    winners: text("winners", { mode: "json" })
      .$type<{ userId: string; username: string; at: number }[]>()
      .notNull()
      .default([]),
    createdAt: createdAt(),
  },
  (t) => [index("giveaways_community").on(t.communityId, t.status)],
);

/** One entry per platform user per giveaway; `weight` is 1 or the subscriber luck. */
export const giveawayEntries = sqliteTable(
  "giveaway_entries",
  {
    giveawayId: text("giveaway_id")
      .notNull()
      .references(() => giveaways.id, { onDelete: "cascade" }),
    platform: text("platform").notNull(),
    userId: text("user_id").notNull(),
    username: text("username").notNull(),
    weight: integer("weight").notNull().default(1),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.giveawayId, t.platform, t.userId] })],
);
