import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { createdAt, id } from "../../../../lib/db/schema/columns.ts";
import { communities } from "../../../../lib/db/schema/communities.ts";

export const MUSIC_STATUSES = ["queued", "playing", "done"] as const;

/** A community's song-request queue (YouTube Music): the head that is `playing` is "now playing". */
export const musicQueue = sqliteTable(
  "music_queue",
  {
    id: id(),
    communityId: text("community_id")
      .notNull()
      .references(() => communities.id, { onDelete: "cascade" }),
    videoId: text("video_id").notNull(),
    title: text("title").notNull(),
    artist: text("artist").notNull().default(""),
    artUrl: text("art_url"),
    requestedBy: text("requested_by").notNull(),
    status: text("status", { enum: MUSIC_STATUSES }).notNull().default("queued"),
    createdAt: createdAt(),
    seq: integer("seq").notNull(),
  },
  (t) => [index("music_queue_community").on(t.communityId, t.status, t.seq)],
);
