import { apiBase, type PlatformConfig } from "../config.ts";
import { PlatformError, platformFetch } from "./http.ts";
import { discordPath, safeId } from "./ids.ts";

/** A Discord message body (the subset WaddleBot sends). */
export interface DiscordMessage {
  content?: string;
  embeds?: unknown[];
  components?: unknown[];
  /** 64 = EPHEMERAL */
  flags?: number;
  allowed_mentions?: { parse: string[] };
}

/**
 * Never let chat text ping anyone: a module's reply, a template's variables and the user's
 * own words are untrusted, and `<@id>`, `<@&role>` or `@everyone` in them would otherwise
 * notify. Set on every message after the caller's fields, so no caller can loosen it.
 * https://discord.com/developers/docs/resources/message#allowed-mentions-object
 */
export const NO_MENTIONS = { parse: [] as string[] };
const safe = (msg: DiscordMessage): DiscordMessage => ({ ...msg, allowed_mentions: NO_MENTIONS });
const webhookPath = (applicationId: string, token: string) =>
  `/webhooks/${safeId("discord", applicationId)}/${safeId("discord-token", token)}`;

async function call(
  env: PlatformConfig,
  method: string,
  path: string,
  body?: unknown,
  bot = true,
  extraHeaders: Record<string, string> = {},
) {
  const headers: Record<string, string> = { "content-type": "application/json", ...extraHeaders };
  if (bot) {
    if (!env.DISCORD_BOT_TOKEN) throw new PlatformError("discord", 0, "DISCORD_BOT_TOKEN is not set");
    headers.authorization = `Bot ${env.DISCORD_BOT_TOKEN}`;
  }
  const res = await platformFetch("discord", `${apiBase(env, "DISCORD_API_BASE")}${path}`, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (res.status === 429) {
    // Discord states the wait in the body (seconds, fractional).
    const retryAfter = Number((res.body as { retry_after?: number })?.retry_after ?? 1);
    throw new PlatformError("discord", 429, "rate limited by Discord", retryAfter * 1000);
  }
  if (res.status >= 400) throw new PlatformError("discord", res.status, `Discord answered ${res.status}`);
  return res.body;
}

/** Edits the deferred (type 5) interaction response: how a slow reply is delivered. */
export async function editOriginalResponse(
  env: PlatformConfig,
  applicationId: string,
  token: string,
  msg: DiscordMessage,
) {
  return call(env, "PATCH", `${webhookPath(applicationId, token)}/messages/@original`, safe(msg), false);
}

/** A message in a channel, as the bot. */
export async function sendChannelMessage(env: PlatformConfig, channelId: string, msg: DiscordMessage) {
  return call(env, "POST", discordPath`/channels/${channelId}/messages`, safe(msg));
}

/** A direct message: opens (or reuses) the DM channel, then sends. */
export async function sendDirectMessage(env: PlatformConfig, userId: string, msg: DiscordMessage) {
  const recipient = safeId("discord", userId);
  const channel = (await call(env, "POST", "/users/@me/channels", { recipient_id: recipient })) as { id?: string };
  if (typeof channel?.id !== "string" || !channel.id) {
    throw new PlatformError("discord", 502, "Discord did not return a DM channel");
  }
  // An id Discord itself just returned: encoded, not held to the snowflake pattern.
  return call(env, "POST", `/channels/${encodeURIComponent(channel.id)}/messages`, safe(msg));
}

/** Replaces the application's commands (globally, or in one guild when `guildId` is given). */
export async function registerCommands(
  env: PlatformConfig,
  applicationId: string,
  commands: unknown[],
  guildId?: string,
) {
  const path = guildId
    ? discordPath`/applications/${applicationId}/guilds/${guildId}/commands`
    : discordPath`/applications/${applicationId}/commands`;
  return call(env, "PUT", path, commands);
}

/** Discord caps a member timeout at 28 days (https://discord.com/developers/docs/resources/guild#modify-guild-member). */
const DISCORD_MAX_TIMEOUT_SEC = 28 * 24 * 3600;

/**
 * The reason shown in the guild's audit log. Discord reads the header URL-encoded (so
 * non-ASCII survives) and keeps at most 512 characters.
 */
function auditReason(reason?: string): Record<string, string> {
  return reason ? { "x-audit-log-reason": encodeURIComponent(reason.slice(0, 512)) } : {};
}

/** Deletes a message in a channel (the bot needs MANAGE_MESSAGES there for others' messages). */
export async function deleteMessage(env: PlatformConfig, channelId: string, messageId: string, reason?: string) {
  return call(
    env,
    "DELETE",
    discordPath`/channels/${channelId}/messages/${messageId}`,
    undefined,
    true,
    auditReason(reason),
  );
}

/** Times a member out (MODERATE_MEMBERS): no messages, reactions or voice until it runs out. */
export async function timeoutMember(
  env: PlatformConfig,
  guildId: string,
  userId: string,
  seconds: number,
  reason?: string,
) {
  const until = new Date(Date.now() + Math.min(Math.max(1, seconds), DISCORD_MAX_TIMEOUT_SEC) * 1000);
  return call(
    env,
    "PATCH",
    discordPath`/guilds/${guildId}/members/${userId}`,
    { communication_disabled_until: until.toISOString() },
    true,
    auditReason(reason),
  );
}

/** Bans a user from the guild (BAN_MEMBERS); their earlier messages are left alone. */
export async function banMember(env: PlatformConfig, guildId: string, userId: string, reason?: string) {
  return call(env, "PUT", discordPath`/guilds/${guildId}/bans/${userId}`, {}, true, auditReason(reason));
}

/** The guild a channel belongs to (GET /channels/{id}); null for a DM or a channel the bot cannot see. */
export async function channelGuild(env: PlatformConfig, channelId: string): Promise<string | null> {
  try {
    const channel = (await call(env, "GET", discordPath`/channels/${channelId}`)) as { guild_id?: unknown };
    return typeof channel?.guild_id === "string" ? channel.guild_id : null;
  } catch (err) {
    if (err instanceof PlatformError && (err.status === 403 || err.status === 404 || err.status === 400)) return null;
    throw err;
  }
}

/** Is the user a member of the guild (GET /guilds/{guild}/members/{user})? */
export async function isGuildMember(env: PlatformConfig, guildId: string, userId: string): Promise<boolean> {
  try {
    await call(env, "GET", discordPath`/guilds/${guildId}/members/${userId}`);
    return true;
  } catch (err) {
    if (err instanceof PlatformError && (err.status === 403 || err.status === 404 || err.status === 400)) return false;
    throw err;
  }
}

/**
 * Adds a role to a guild member (MANAGE_ROLES, and the bot's highest role above it). 204 and
 * idempotent: adding a role the member has is a no-op.
 * https://discord.com/developers/docs/resources/guild#add-guild-member-role
 */
export async function addMemberRole(
  env: PlatformConfig,
  guildId: string,
  userId: string,
  roleId: string,
  reason?: string,
) {
  return call(
    env,
    "PUT",
    discordPath`/guilds/${guildId}/members/${userId}/roles/${roleId}`,
    undefined,
    true,
    auditReason(reason),
  );
}

/** Removes a role from a guild member (MANAGE_ROLES); idempotent like adding. */
export async function removeMemberRole(
  env: PlatformConfig,
  guildId: string,
  userId: string,
  roleId: string,
  reason?: string,
) {
  return call(
    env,
    "DELETE",
    discordPath`/guilds/${guildId}/members/${userId}/roles/${roleId}`,
    undefined,
    true,
    auditReason(reason),
  );
}
