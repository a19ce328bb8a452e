import type { PlatformConfig } from "../config.ts";

/**
 * The instance's Twitch bot account: chat messages and whispers are sent as it, and the gateway
 * relay logs in to Twitch IRC as it. The instance owner authorises it once (user:read:chat,
 * user:write:chat, user:bot, user:manage:whispers); the token is kept encrypted at rest and
 * refreshed before it expires.
 */
export interface TwitchBotCredential {
  userId: string;
  login: string;
  accessToken: string;
}

/**
 * The bot's current credential, or null when the instance owner has not authorised one yet
 * (the relay then reads chat anonymously and cannot be addressed as the bot).
 * Seam: the connections work (issue 11) stores and refreshes it; until then there is none.
 */
export async function twitchBotCredential(_env: PlatformConfig): Promise<TwitchBotCredential | null> {
  return null;
}
