import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { createdAt, id } from "./columns.ts";
import { communities } from "./communities.ts";

/** The three OBS browser-source types (seeds: Browser Sources Module). */
export const OVERLAY_TYPES = ["ticker", "media", "general"] as const;
export type OverlayType = (typeof OVERLAY_TYPES)[number];

/**
 * One capability URL per community and overlay type: `/overlay/{token}/{type}`. The token is
 * kept in clear (like a webhook URL, the portal must be able to show it again); lookups go
 * through its SHA-256 so an index walk never compares a caller-chosen string. After a rotation
 * the previous token keeps working until `grace_until`, so a streamer can paste the new URL
 * into OBS before the old one stops.
 */
export const overlayTokens = sqliteTable(
  "overlay_tokens",
  {
    id: id(),
    communityId: text("community_id")
      .notNull()
      .references(() => communities.id, { onDelete: "cascade" }),
    type: text("type", { enum: OVERLAY_TYPES }).notNull(),
    token: text("token").notNull(),
    tokenHash: text("token_hash").notNull().unique(),
    /** Bumped on every rotation; sockets remember the generation they connected with. */
    generation: integer("generation").notNull().default(1),
    previousTokenHash: text("previous_token_hash"),
    graceUntil: integer("grace_until", { mode: "timestamp_ms" }),
    createdAt: createdAt(),
    rotatedAt: integer("rotated_at", { mode: "timestamp_ms" }),
  },
  (t) => [
    uniqueIndex("overlay_tokens_community_type").on(t.communityId, t.type),
    index("overlay_tokens_previous").on(t.previousTokenHash),
  ],
);
