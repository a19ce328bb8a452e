import { integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { PLATFORMS } from "./columns.ts";
import { communities } from "./communities.ts";

/**
 * When the bot last heard a real (not simulated) event from each platform of a community: the
 * dashboard's "connected and receiving" signal. Written at most once a minute per isolate.
 */
export const platformActivity = sqliteTable(
  "platform_activity",
  {
    communityId: text("community_id")
      .notNull()
      .references(() => communities.id, { onDelete: "cascade" }),
    platform: text("platform", { enum: PLATFORMS }).notNull(),
    lastEventAt: integer("last_event_at", { mode: "timestamp_ms" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.communityId, t.platform] })],
);
