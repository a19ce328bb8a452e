/**
 * Chat events as the events queue carries them, built by the webhooks worker's own normalisers
 * (as ingress builds them), for the tests of the queue's producer and of its consumer (the router).
 */
import { eventSubToChatEvent } from "../../workers/webhooks/src/eventsub-events.ts";
import { slackEventToChatEvent } from "../../workers/webhooks/src/slack-events.ts";

/** A Twitch chat `!ping` (EventSub channel.chat.message) from a random chatter. */
export function twitchPing(broadcasterId: string, text = "!ping") {
  const messageId = crypto.randomUUID();
  const event = eventSubToChatEvent(messageId, "channel.chat.message", {
    broadcaster_user_id: broadcasterId,
    chatter_user_id: String(Math.floor(Math.random() * 1e9)),
    chatter_user_login: "viewer",
    message_id: messageId,
    message: { text },
  });
  if (!event) throw new Error("not an event");
  return { messageId, event };
}

/** A Slack channel message (Events API) from a random member. */
export function slackMessage(teamId: string, channel: string, text: string, threadTs?: string, user = newSlackUser()) {
  const eventId = `Ev${crypto.randomUUID().slice(0, 10)}`;
  const event = slackEventToChatEvent({
    type: "event_callback",
    team_id: teamId,
    event_id: eventId,
    event: { type: "message", user, text, channel, ts: `${Date.now() / 1000}`, thread_ts: threadTs },
  });
  if (!event) throw new Error("not an event");
  return { eventId, user, event };
}

export const newSlackUser = () => `U${crypto.randomUUID().slice(0, 8).toUpperCase()}`;
