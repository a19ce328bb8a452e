import { integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { createdAt, PLATFORMS } from "./columns.ts";
import { communities } from "./communities.ts";

/**
 * `!permit <user> [seconds]`: a moderator lets one chat user past the community's link filters,
 * for one link or for a window. D1, not a Durable Object: the link filter reads it only after it
 * has already matched (a message about to be deleted), never for the other messages; the grant
 * and its audit entry are one batch; the retention cron drops expired rows.
 */
export const moderationPermits = sqliteTable(
  "moderation_permits",
  {
    communityId: text("community_id")
      .notNull()
      .references(() => communities.id, { onDelete: "cascade" }),
    platform: text("platform", { enum: PLATFORMS }).notNull(),
    /** `id:<platform user id>` (from a mention) or `name:<lower-case username>` (a typed name). */
    target: text("target").notNull(),
    /** 1 for a one-link permit (0 once used); null for "any links until it expires". */
    usesLeft: integer("uses_left"),
    expiresAt: integer("expires_at", { mode: "timestamp_ms" }).notNull(),
    /** The moderator's platform user id. */
    grantedBy: text("granted_by").notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.communityId, t.platform, t.target] })],
);
