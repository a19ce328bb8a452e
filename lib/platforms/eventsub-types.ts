import type { EventType } from "../events/chat-event.ts";

/** The EventSub subscription types WaddleBot handles, the version it asks for, and its event. */
export const EVENTSUB_TYPES: Record<string, { version: string; event: EventType }> = {
  "channel.follow": { version: "2", event: "follow" },
  "channel.subscribe": { version: "1", event: "subscribe" },
  "channel.subscription.gift": { version: "1", event: "subscription_gift" },
  "channel.subscription.message": { version: "1", event: "subscription_message" },
  "channel.cheer": { version: "1", event: "cheer" },
  "channel.raid": { version: "1", event: "raid" },
  "stream.online": { version: "1", event: "stream_online" },
  "stream.offline": { version: "1", event: "stream_offline" },
  "channel.ban": { version: "1", event: "ban" },
  "channel.chat.message": { version: "1", event: "message" },
};

/**
 * The condition of each subscription for one broadcaster
 * (https://dev.twitch.tv/docs/eventsub/eventsub-subscription-types/). A raid is subscribed
 * on the raided side; follows need a moderator and chat messages the reading user: the bot
 * account, or the broadcaster when no bot id is set.
 */
export function eventSubCondition(type: string, broadcasterId: string, botUserId?: string): Record<string, string> {
  const reader = botUserId || broadcasterId;
  if (type === "channel.raid") return { to_broadcaster_user_id: broadcasterId };
  if (type === "channel.follow") return { broadcaster_user_id: broadcasterId, moderator_user_id: reader };
  if (type === "channel.chat.message") return { broadcaster_user_id: broadcasterId, user_id: reader };
  return { broadcaster_user_id: broadcasterId };
}
