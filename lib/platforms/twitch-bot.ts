import type { PlatformConfig } from "../config.ts";
import { getBot } from "../connections/store.ts";
import { twitchBotAuth } from "../connections/tokens.ts";

/**
 * The instance's Twitch bot account: chat messages and whispers are sent as it, and the gateway
 * relay logs in to Twitch IRC as it. The instance owner authorises it once (user:read:chat,
 * user:write:chat, user:bot, user:manage:whispers; `POST /api/v1/connections/twitch-bot`); the
 * token is kept encrypted at rest (instance_credentials) and refreshed before it expires.
 */
export interface TwitchBotCredential {
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
