/**
 * Platform payloads as the platforms send them, for tests in workerd and Node alike. Only the
 * bodies: sign them with test/shared/sign.ts.
 */

/** Twitch EventSub `channel.chat.message` notification. */
export function twitchChatNotification(opts: {
  broadcasterId: string;
  chatterId: string;
  login?: string;
  name?: string;
  messageId?: string;
  text: string;
  badges?: { set_id: string; id: string; info: string }[];
}): string {
  return JSON.stringify({
    subscription: {
      id: crypto.randomUUID(),
      status: "enabled",
      type: "channel.chat.message",
      version: "1",
      condition: {},
    },
    event: {
      broadcaster_user_id: opts.broadcasterId,
      chatter_user_id: opts.chatterId,
      chatter_user_login: opts.login ?? "viewer",
      chatter_user_name: opts.name ?? "Viewer",
      message_id: opts.messageId ?? crypto.randomUUID(),
      message: { text: opts.text, fragments: [] },
      badges: opts.badges ?? [],
    },
  });
}

/** A Discord guild message as the gateway relay forwards it (an already-normalised event). */
export function relayDiscordMessage(opts: {
  guildId: string;
  channelId: string;
  userId: string;
  username?: string;
  messageId?: string;
  text: string;
}): string {
  return JSON.stringify({
    id: `gw-${crypto.randomUUID()}`,
    platform: "discord",
    type: "message",
    communityPlatformId: opts.guildId,
    channel: { id: opts.channelId },
    user: { id: opts.userId, username: opts.username ?? "penguin" },
    text: opts.text,
    reply: {
      kind: "discord_channel",
      channelId: opts.channelId,
      ...(opts.messageId ? { messageId: opts.messageId } : {}),
    },
  });
}
