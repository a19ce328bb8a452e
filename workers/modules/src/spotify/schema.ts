import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { createdAt, id, updatedAt } from "../../../../lib/db/schema/columns.ts";
import { communities } from "../../../../lib/db/schema/communities.ts";

/**
 * A community's Spotify grant (one account per community: the streamer's). Both tokens are
 * sealed (lib/crypto/sealed-columns.ts) with the row id, which is the community id, as context.
 */
export const spotifyAccounts = sqliteTable("spotify_accounts", {
  communityId: text("community_id")
    .primaryKey()
    .references(() => communities.id, { onDelete: "cascade" }),
  accountId: text("account_id").notNull(),
  accountName: text("account_name"),
  scopes: text("scopes", { mode: "json" }).$type<string[]>().notNull(),
  accessToken: text("access_token").notNull(),
  refreshToken: text("refresh_token"),
  tokenExpiresAt: integer("token_expires_at", { mode: "timestamp_ms" }),
  /** active | revoked (Spotify refused a refresh: connect again). */
  status: text("status", { enum: ["active", "revoked"] })
    .notNull()
    .default("active"),
  connectedBy: text("connected_by"),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

export const SPOTIFY_REQUEST_STATUSES = ["pending", "played", "cleared"] as const;

/** `!sr` requests: handed to Spotify's queue at once; `pending` until Spotify plays them. */
export const spotifyRequests = sqliteTable(
  "spotify_requests",
  {
    id: id(),
    communityId: text("community_id")
      .notNull()
      .references(() => communities.id, { onDelete: "cascade" }),
    trackUri: text("track_uri").notNull(),
    title: text("title").notNull(),
    artist: text("artist").notNull().default(""),
    /** Who asked, as chat shows them. */
    requestedBy: text("requested_by").notNull(),
    /** `<platform>:<user id>`: the per-person limit counts by it (names are not unique). */
    requesterKey: text("requester_key").notNull(),
    status: text("status", { enum: SPOTIFY_REQUEST_STATUSES }).notNull().default("pending"),
    createdAt: createdAt(),
  },
  (t) => [index("spotify_requests_community").on(t.communityId, t.status, t.createdAt)],
);
