import type { PlatformConfig } from "../config.ts";
import { getBot } from "../connections/store.ts";
import { twitchBotAuth } from "../connections/tokens.ts";
import { sha256Hex } from "../crypto/encoding.ts";
import { log } from "../log.ts";

/**
 * The instance's Twitch bot account: chat messages and whispers are sent as it, and the gateway
 * relay logs in to Twitch IRC as it. The instance owner authorises it once (user:read:chat,
 * user:write:chat, user:bot, user:manage:whispers; `POST /api/v1/connections/twitch-bot`); the
 * token is kept encrypted at rest (instance_credentials) and refreshed before it expires.
 */
interface TwitchBotCredential {
  userId: string;
  login: string;
  accessToken: string;
}

/**
 * The bot's current credential (refreshed first when it is within a minute of expiry), or null
 * when the instance owner has not authorised one yet, the grant was revoked, or the caller has no
 * D1 binding (the relay then reads chat anonymously and cannot be addressed as the bot).
 */
export async function twitchBotCredential(env: PlatformConfig): Promise<TwitchBotCredential | null> {
  const withDb = env as PlatformConfig & { DB?: D1Database };
  if (!withDb.DB) return null;
  const store = { ...withDb, DB: withDb.DB };
  const [row, auth] = await Promise.all([getBot(store), twitchBotAuth(store)]);
  if (!row || !auth) return null;
  return { userId: row.accountId, login: row.accountLogin, accessToken: await auth.token() };
}

/** A token that came from a refresh this recently and is refused too is not refreshed again: that would loop. */
const BOT_REFRESH_COOLDOWN_MS = 60_000;

type RefusedOutcome = "refreshed" | "already_replaced" | "cooling_down" | "not_authorised" | "refresh_failed";

/** The last refresh made for a refused login: the new token's SHA-256 and when. */
export interface BotRefresh {
  token: string;
  at: number;
}

/**
 * Twitch refused a login with the bot's token (a relay copy reports it by the token's SHA-256:
 * the token itself never travels back). If it is still the stored token, it is refreshed now,
 * expiry or not; a refused refresh marks the bot revoked, and the relay then reads chat
 * anonymously. A token that itself came from such a refresh less than a minute ago is not
 * refreshed again (a token Twitch refuses however fresh — a missing scope — would loop).
 */
export async function refreshRefusedBotToken(
  env: PlatformConfig,
  refusedSha256: string,
  last: BotRefresh | undefined,
  now = Date.now(),
): Promise<{ outcome: RefusedOutcome; refresh?: BotRefresh }> {
  const withDb = env as PlatformConfig & { DB?: D1Database };
  if (!withDb.DB) return { outcome: "not_authorised" };
  const auth = await twitchBotAuth({ ...withDb, DB: withDb.DB });
  if (!auth) return { outcome: "not_authorised" };
  const current = await auth.token().catch(() => null);
  if (current && (await sha256Hex(current)) !== refusedSha256) return { outcome: "already_replaced" };
  if (last?.token === refusedSha256 && now - last.at < BOT_REFRESH_COOLDOWN_MS) return { outcome: "cooling_down" };
  try {
    const fresh = await auth.refresh();
    return { outcome: "refreshed", refresh: { token: await sha256Hex(fresh), at: now } };
  } catch (error) {
    log.warn("twitch bot: refreshing a token Twitch IRC refused failed", { error });
    return { outcome: "refresh_failed" };
  }
}
