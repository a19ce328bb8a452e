import type { ChatMessage } from "@twurple/chat";
import type { RelayEvent, TwitchChannel } from "../../lib/relay/protocol.ts";

/** The Twitch badges that map to roles (DESIGN.md permission levels read them). */
const ROLE_BADGES = ["broadcaster", "moderator", "vip", "subscriber", "founder"] as const;

/**
 * A chat line (PRIVMSG) → relay event. Twitch tags every line with its message id and the
 * sender's user id; an IRC server without IRCv3 tags (ngircd in tests) has neither, so the id
 * falls back to a fresh UUID (at least once, not deduplicated across copies) and the user id
 * to the login.
 */
export function chatEvent(channel: TwitchChannel, user: string, text: string, msg: ChatMessage): RelayEvent {
  const info = msg.userInfo;
  const badges = [...info.badges.keys()].filter((b) => b.length <= 64).slice(0, 50);
  const roles = ROLE_BADGES.filter((b) => badges.includes(b));
  const messageId = msg.tags.get("id") || undefined;
  return {
    id: `twitch-irc:${messageId ?? crypto.randomUUID()}`,
    platform: "twitch",
    type: "message",
    communityPlatformId: msg.channelId ?? channel.broadcasterId,
    channel: { id: channel.broadcasterId, name: channel.login },
    user: {
      id: info.userId || user,
      username: user,
      displayName: info.displayName || user,
      roles: [...roles],
      badges,
      isBroadcaster: info.isBroadcaster || user === channel.login,
      isModerator: info.isMod,
      isSubscriber: info.isSubscriber || info.isFounder,
      isVip: info.isVip,
    },
    text: text.slice(0, 4000),
    data: messageId ? { messageId } : {},
    reply: {
      kind: "twitch",
      broadcasterId: channel.broadcasterId,
      ...(messageId ? { replyToMessageId: messageId } : {}),
    },
  };
}
