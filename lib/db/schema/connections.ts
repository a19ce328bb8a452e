import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { createdAt, id, PLATFORMS, updatedAt } from "./columns.ts";
import { communities } from "./communities.ts";
import { users } from "./users.ts";

export const CONNECTION_STATUSES = ["active", "revoked", "error"] as const;
export type ConnectionStatus = (typeof CONNECTION_STATUSES)[number];

/**
 * A community's OAuth connection to one platform (issue 11): a Discord guild the bot was
 * installed in, a Twitch broadcaster who granted scopes, a Slack workspace's bot token.
 * `community_platforms` stays the lookup every event makes; this row holds the grant.
 * `access_token` and `refresh_token` are sealed (lib/crypto/secret-box.ts, SEALED_COLUMNS).
 */
export const platformConnections = sqliteTable(
  "platform_connections",
  {
    id: id(),
    communityId: text("community_id")
      .notNull()
      .references(() => communities.id, { onDelete: "cascade" }),
    platform: text("platform", { enum: PLATFORMS }).notNull(),
    /** Guild id, broadcaster user id or team id. */
    accountId: text("account_id").notNull(),
    /** Guild name, broadcaster display name or workspace name. */
    accountName: text("account_name"),
    /** Twitch: the broadcaster's login (the IRC channel name); null elsewhere. */
    accountLogin: text("account_login"),
    status: text("status", { enum: CONNECTION_STATUSES }).notNull().default("active"),
    /** What the platform says went wrong (status error/revoked), in plain words. */
    statusDetail: text("status_detail"),
    scopes: text("scopes", { mode: "json" }).$type<string[]>().notNull(),
    /** Slack: the bot's own user id in the workspace (its messages are ignored). */
    botUserId: text("bot_user_id"),
    accessToken: text("access_token"),
    refreshToken: text("refresh_token"),
    tokenExpiresAt: integer("token_expires_at", { mode: "timestamp_ms" }),
    lastEventAt: integer("last_event_at", { mode: "timestamp_ms" }),
    connectedBy: text("connected_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("platform_connections_community_platform").on(t.communityId, t.platform),
    index("platform_connections_account").on(t.platform, t.accountId),
  ],
);

/**
 * Instance-wide platform credentials, one row per purpose. Today: `twitch_bot`, the bot
 * account the instance owner authorised once (chat is sent and whispers come from it).
 */
export const instanceCredentials = sqliteTable("instance_credentials", {
  id: text("id", { enum: ["twitch_bot"] }).primaryKey(),
  accountId: text("account_id").notNull(),
  accountLogin: text("account_login").notNull(),
  scopes: text("scopes", { mode: "json" }).$type<string[]>().notNull(),
  status: text("status", { enum: CONNECTION_STATUSES }).notNull().default("active"),
  accessToken: text("access_token").notNull(),
  refreshToken: text("refresh_token"),
  tokenExpiresAt: integer("token_expires_at", { mode: "timestamp_ms" }),
  connectedBy: text("connected_by").references(() => users.id, { onDelete: "set null" }),
  updatedAt: updatedAt(),
});

/** Who an OAuth authorisation is for: a platform, the instance's Twitch bot, or a community's Spotify. */
export const OAUTH_TARGETS = [...PLATFORMS, "twitch_bot", "spotify"] as const;
export type OAuthTarget = (typeof OAUTH_TARGETS)[number];

/**
 * Pending OAuth authorisations: the SHA-256 of the `state` handed to the platform, bound to the
 * user who started it, the community (null for the instance's bot) and the target. Single use
 * (deleted when the callback claims it), valid 10 minutes; the retention job prunes the abandoned
 * ones. A PKCE flow (Spotify) keeps its code verifier here, sealed (SEALED_COLUMNS).
 */
export const oauthStates = sqliteTable(
  "oauth_states",
  {
    stateHash: text("state_hash").primaryKey(),
    userId: text("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    communityId: text("community_id").references(() => communities.id, { onDelete: "cascade" }),
    target: text("target", { enum: OAUTH_TARGETS }).notNull(),
    /** The PKCE code verifier (RFC 7636), sealed with the state's hash as context; null without PKCE. */
    codeVerifier: text("code_verifier"),
    expiresAt: integer("expires_at", { mode: "timestamp_ms" }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [index("oauth_states_expires").on(t.expiresAt)],
);
