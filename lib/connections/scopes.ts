/**
 * What WaddleBot asks each platform for when a community connects, and what each grant is
 * for, so the portal can say in plain words what a missing scope breaks.
 */

/**
 * Twitch, granted by the broadcaster. Per Twitch's reference
 * (https://dev.twitch.tv/docs/api/reference/, https://dev.twitch.tv/docs/eventsub/eventsub-subscription-types/):
 * channel:bot lets the bot account read and send chat in the channel (channel.chat.message,
 * Send Chat Message); moderator:read:followers is channel.follow v2 (moderator_user_id = the
 * broadcaster); channel:read:subscriptions is channel.subscribe / .gift / .message; bits:read is
 * channel.cheer; moderator:manage:banned_users is Ban User (timeouts and bans, moderator_id must be
 * the token's user); moderator:manage:chat_messages is Delete Chat Messages;
 * moderator:manage:shoutouts is Send a Shoutout (the shoutout module's native shoutout).
 */
const TWITCH_BROADCASTER_SCOPES = {
  "channel:bot": "the bot cannot read or answer chat in this channel",
  "moderator:read:followers": "follow alerts will not arrive",
  "channel:read:subscriptions": "subscription alerts will not arrive",
  "bits:read": "cheer alerts will not arrive",
  "moderator:manage:banned_users": "moderation (timeouts and bans) will be refused",
  "moderator:manage:chat_messages": "deleting chat messages will be refused",
  "moderator:manage:shoutouts": "!so will not send Twitch's own shoutout (the chat answer and overlay card still work)",
} as const;

/**
 * Twitch, granted once by the instance's bot account. user:write:chat: Send Chat Message with
 * the bot's user token; user:read:chat: channel.chat.message names the bot as user_id; user:bot:
 * appear as a bot in channels that granted channel:bot; user:manage:whispers: Send Whisper
 * (from_user_id must be the token's user; the account needs a verified phone number); chat:read:
 * the gateway relay logs in to Twitch IRC as the bot (https://dev.twitch.tv/docs/chat/irc/#authentication).
 */
export const TWITCH_BOT_SCOPES = {
  "user:read:chat": "the bot cannot read chat",
  "user:write:chat": "the bot cannot send chat messages",
  "user:bot": "the bot cannot chat as a bot in connected channels",
  "user:manage:whispers": "link codes cannot be whispered",
  "chat:read": "the relay reads Twitch chat anonymously instead of as the bot",
} as const;

/** Slack bot token scopes (https://api.slack.com/scopes), one token per workspace. */
const SLACK_BOT_SCOPES = {
  "chat:write": "the bot cannot post replies",
  commands: "/waddlebot will not work",
  "channels:history": "messages in public channels will not arrive",
  "groups:history": "messages in private channels will not arrive",
  "im:history": "direct messages will not arrive",
  "reactions:read": "reaction events will not arrive",
  "users:read": "members show as ids, and workspace admins get no admin chat level",
  "app_mentions:read": "@WaddleBot mentions will not arrive",
  "files:read": "file events will not arrive",
} as const;

/** Discord: the bot install. https://discord.com/developers/docs/topics/oauth2#bot-authorization-flow */
const DISCORD_SCOPES = {
  bot: "the bot is not in the server",
  "applications.commands": "slash commands cannot be registered",
} as const;

/**
 * The bot's permissions in the guild (https://discord.com/developers/docs/topics/permissions):
 * BAN_MEMBERS 1<<2, VIEW_CHANNEL 1<<10 (needed to see a channel at all), SEND_MESSAGES 1<<11,
 * MANAGE_MESSAGES 1<<13, READ_MESSAGE_HISTORY 1<<16, MANAGE_ROLES 1<<28, MODERATE_MEMBERS 1<<40.
 */
export const DISCORD_PERMISSIONS = [2n, 10n, 11n, 13n, 16n, 28n, 40n].reduce((sum, bit) => sum | (1n << bit), 0n);

export type ConnectTarget = "discord" | "twitch" | "slack" | "twitch_bot";

export const SCOPES: Record<ConnectTarget, Record<string, string>> = {
  discord: DISCORD_SCOPES,
  twitch: TWITCH_BROADCASTER_SCOPES,
  slack: SLACK_BOT_SCOPES,
  twitch_bot: TWITCH_BOT_SCOPES,
};

/** Plain words for every scope asked for but not granted. */
export function missingScopes(target: ConnectTarget, granted: string[]): { scope: string; effect: string }[] {
  const have = new Set(granted);
  return Object.entries(SCOPES[target])
    .filter(([scope]) => !have.has(scope))
    .map(([scope, effect]) => ({ scope, effect }));
}
