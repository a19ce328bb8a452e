import { and, eq } from "drizzle-orm";
import { isLocal } from "../config.ts";
import { createDb } from "../db/client.ts";
import { communityPlatforms, type Platform } from "../db/schema/index.ts";
import { log } from "../log.ts";
import { PlatformError } from "../platforms/http.ts";
import { refreshTwitch } from "./exchange.ts";
import type { ConnectConfig, RefreshedTokens } from "./oauth.ts";
import {
  type BotRow,
  type ConnectionRow,
  connectionByAccount,
  getBot,
  getConnection,
  markBot,
  markConnection,
  type StoreEnv,
  tokensOf,
  updateBotTokens,
  updateConnectionTokens,
} from "./store.ts";

export interface TokenEnv extends StoreEnv, ConnectConfig {}

/**
 * A user token that renews itself: `token()` refreshes a minute before expiry, `refresh()` after
 * the platform answered 401. Used for Helix calls that Twitch accepts only with a user token.
 */
interface UserAuth {
  /** The account the token belongs to (Helix's moderator_id / sender_id / from_user_id). */
  userId: string;
  token(): Promise<string>;
  refresh(): Promise<string>;
}

/** Which community/account a call is made for. */
type AccountRef = { communityId: string } | { accountId: string };

const EARLY_MS = 60_000;

function lookup(env: StoreEnv, platform: Platform, ref: AccountRef | null) {
  if (!ref) return Promise.resolve(undefined);
  return "communityId" in ref
    ? getConnection(env, ref.communityId, platform)
    : connectionByAccount(env, platform, ref.accountId);
}

/** Whether the community (or account) has a link on the platform at all (OAuth or the demo seed). */
async function seededLink(env: StoreEnv, platform: Platform, ref: AccountRef | null): Promise<boolean> {
  if (!ref) return true;
  const db = createDb(env.DB);
  const where =
    "communityId" in ref
      ? and(eq(communityPlatforms.communityId, ref.communityId), eq(communityPlatforms.platform, platform))
      : and(eq(communityPlatforms.platformId, ref.accountId), eq(communityPlatforms.platform, platform));
  return Boolean(await db.select({ id: communityPlatforms.id }).from(communityPlatforms).where(where).get());
}

function unusable(platform: Platform, row: { status: string; statusDetail?: string | null }): PlatformError {
  return new PlatformError(
    platform,
    401,
    `the ${platform} connection is ${row.status}${row.statusDetail ? `: ${row.statusDetail}` : ""}; connect it again`,
  );
}

/**
 * Refresh one Twitch grant; a refused refresh marks it revoked (the user disconnected the app),
 * which the portal shows.
 */
async function refreshWith(
  env: TokenEnv,
  refreshToken: string | null,
  save: (t: RefreshedTokens) => Promise<void>,
  revoke: (detail: string) => Promise<void>,
): Promise<string> {
  if (!refreshToken) {
    await revoke("the token expired and there is no refresh token");
    throw new PlatformError("twitch", 401, "the Twitch token expired; connect again");
  }
  try {
    const fresh = await refreshTwitch(env, refreshToken);
    await save(fresh);
    return fresh.accessToken;
  } catch (err) {
    if (err instanceof PlatformError && (err.status === 400 || err.status === 401)) {
      await revoke("Twitch refused the refresh: the grant was revoked");
      log.warn("twitch grant revoked", { error: err.message });
    }
    throw err;
  }
}

function userAuth(
  env: TokenEnv,
  table: "platform_connections" | "instance_credentials",
  row: ConnectionRow | BotRow,
  save: (t: RefreshedTokens) => Promise<void>,
  revoke: (detail: string) => Promise<void>,
): UserAuth {
  let current: { accessToken: string | null; refreshToken: string | null; expiresAt: number } | undefined;
  const load = async () => {
    if (!current) {
      const t = await tokensOf(env, table, row);
      current = { ...t, expiresAt: row.tokenExpiresAt?.getTime() ?? Number.POSITIVE_INFINITY };
    }
    return current;
  };
  const refresh = async () => {
    const c = await load();
    const token = await refreshWith(
      env,
      c.refreshToken,
      async (t) => {
        current = {
          accessToken: t.accessToken,
          refreshToken: t.refreshToken,
          expiresAt: t.expiresAt?.getTime() ?? Infinity,
        };
        await save(t);
      },
      revoke,
    );
    return token;
  };
  return {
    userId: row.accountId,
    async token() {
      const c = await load();
      if (!c.accessToken || c.expiresAt - EARLY_MS <= Date.now()) return refresh();
      return c.accessToken;
    },
    refresh,
  };
}

/**
 * The broadcaster's token of a connected Twitch channel (moderation is done as the broadcaster),
 * or null when the channel has no connection (the demo seed; the caller may fall back locally).
 */
export async function twitchBroadcasterAuth(env: TokenEnv, ref: AccountRef): Promise<UserAuth | null> {
  const row = await lookup(env, "twitch", ref);
  return row ? twitchConnectionAuth(env, row) : null;
}

/** The same token from a Twitch connection row the caller has read already (one read, not two). */
export function twitchConnectionAuth(env: TokenEnv, row: ConnectionRow): UserAuth {
  if (row.status === "revoked") throw unusable("twitch", row);
  return userAuth(
    env,
    "platform_connections",
    row,
    (t) => updateConnectionTokens(env, row.id, t),
    (detail) => markConnection(env, row.id, "revoked", detail),
  );
}

/** The instance's bot account token (chat is sent and whispers come from it), or null. */
export async function twitchBotAuth(env: TokenEnv): Promise<UserAuth | null> {
  const row = await getBot(env);
  if (!row || row.status === "revoked") return null;
  return userAuth(
    env,
    "instance_credentials",
    row,
    (t) => updateBotTokens(env, t),
    () => markBot(env, "revoked"),
  );
}

/**
 * The Slack bot token of a workspace (by community or team id). A workspace linked without OAuth
 * (the demo seed) falls back to SLACK_BOT_TOKEN only where `WADDLEBOT_ENV=local`: a deployed
 * instance never answers one workspace with another's token, and a disconnected one (no link
 * left) gets none.
 */
export async function slackBotToken(env: TokenEnv, ref: AccountRef | null): Promise<string> {
  const row = await lookup(env, "slack", ref);
  if (!row) {
    if (isLocal(env) && env.SLACK_BOT_TOKEN && (await seededLink(env, "slack", ref))) return env.SLACK_BOT_TOKEN;
    throw new PlatformError("slack", 401, "this Slack workspace is not connected");
  }
  if (row.status !== "active") throw unusable("slack", row);
  const { accessToken } = await tokensOf(env, "platform_connections", row);
  if (!accessToken) throw unusable("slack", row);
  return accessToken;
}

/**
 * Refuses to send for a community that no longer has the platform linked (disconnected since the
 * message was queued): nothing is said in a channel the community left.
 */
export async function assertLinked(env: StoreEnv, platform: Platform, communityId: string): Promise<void> {
  if (!(await seededLink(env, platform, { communityId }))) {
    throw new PlatformError(platform, 404, `this community is no longer connected to ${platform}`);
  }
}
