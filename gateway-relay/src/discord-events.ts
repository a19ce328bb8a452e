import type {
  GatewayGuildMemberAddDispatchData,
  GatewayMessageCreateDispatchData,
  GatewayMessageReactionAddDispatchData,
} from "@discordjs/core";
import type { RelayEvent } from "../../lib/relay/protocol.ts";

/**
 * Discord gateway dispatches → relay events (lib/relay/protocol.ts). Ids are derived from the
 * platform's own ids, so two copies that both saw a dispatch (a shard moving between them)
 * produce the same id and the worker's dedupe keeps one.
 */

const user = (u: { id: string; username: string; global_name?: string | null }, roles: string[] = []) => ({
  id: u.id,
  username: u.username,
  ...(u.global_name ? { displayName: u.global_name } : {}),
  roles,
  badges: [],
});

/** A guild message from a person (prefix commands, message points); bots and DMs are skipped. */
export function messageEvent(m: GatewayMessageCreateDispatchData): RelayEvent | null {
  if (!m.guild_id || m.author.bot || m.webhook_id) return null;
  return {
    id: `discord-gw:${m.id}`,
    platform: "discord",
    type: "message",
    communityPlatformId: m.guild_id,
    channel: { id: m.channel_id },
    user: user(m.author, m.member?.roles ?? []),
    text: m.content.slice(0, 4000),
    data: { messageId: m.id },
    reply: { kind: "discord_channel", channelId: m.channel_id, messageId: m.id },
  };
}

export function reactionEvent(r: GatewayMessageReactionAddDispatchData): RelayEvent | null {
  if (!r.guild_id || !r.member || r.member.user.bot) return null;
  const emoji = r.emoji.id ?? r.emoji.name ?? "?";
  return {
    id: `discord-gw:reaction:${r.message_id}:${r.user_id}:${emoji}`,
    platform: "discord",
    type: "reaction",
    communityPlatformId: r.guild_id,
    channel: { id: r.channel_id },
    user: user(r.member.user, r.member.roles),
    data: { messageId: r.message_id, emoji },
    reply: { kind: "none" },
  };
}

export function memberJoinEvent(m: GatewayGuildMemberAddDispatchData): RelayEvent | null {
  if (!m.user || m.user.bot) return null;
  return {
    id: `discord-gw:join:${m.guild_id}:${m.user.id}:${m.joined_at}`,
    platform: "discord",
    type: "member_join",
    communityPlatformId: m.guild_id,
    channel: { id: "" },
    user: user(m.user, m.roles),
    data: {},
    reply: { kind: "none" },
  };
}

/** A member who started boosting: the id carries premium_since, so one boost is one event. */
export function boostEvent(guildId: string, u: { id: string; username: string }, premiumSince: string): RelayEvent {
  return {
    id: `discord-gw:boost:${guildId}:${u.id}:${premiumSince}`,
    platform: "discord",
    type: "boost",
    communityPlatformId: guildId,
    channel: { id: "" },
    user: user(u),
    data: { premiumSince },
    reply: { kind: "none" },
  };
}
