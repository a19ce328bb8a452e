import * as z from "zod";
import { type ChatEvent, ChatEventSchema, type EventType } from "../../../lib/events/chat-event.ts";

const sid = z.string().max(64);

export const EventCallbackSchema = z.object({
  type: z.literal("event_callback"),
  team_id: sid,
  event_id: z.string().min(1).max(100),
  authorizations: z
    .array(z.looseObject({ user_id: sid.optional(), is_bot: z.boolean().optional() }))
    .max(10)
    .optional(),
  event: z.looseObject({
    type: z.string().max(64),
    subtype: z.string().max(64).optional(),
    bot_id: sid.optional(),
    user: sid.optional(),
    user_id: sid.optional(),
    text: z.string().max(40_000).optional(),
    channel: sid.optional(),
    channel_id: sid.optional(),
    ts: sid.optional(),
    thread_ts: sid.optional(),
    reaction: z.string().max(100).optional(),
    item: z.looseObject({ channel: sid.optional(), ts: sid.optional() }).optional(),
    item_user: sid.optional(),
    file_id: sid.optional(),
  }),
});
type EventCallback = z.infer<typeof EventCallbackSchema>;

const TYPES: Record<string, EventType> = {
  message: "message",
  app_mention: "app_mention",
  reaction_added: "reaction",
  file_shared: "file_shared",
  member_joined_channel: "member_join",
};

/**
 * A Slack event as a ChatEvent; null for events WaddleBot ignores: other types, message
 * subtypes (edits, deletions, joins) and anything a bot wrote, the bot itself above all.
 */
export function slackEventToChatEvent(p: EventCallback, receivedAt = new Date()): ChatEvent | null {
  const e = p.event;
  const type = TYPES[e.type];
  if (!type) return null;
  const botUserIds = (p.authorizations ?? []).filter((a) => a.is_bot).map((a) => a.user_id);
  const userId = e.user ?? e.user_id;
  if (e.bot_id || (e.type === "message" && e.subtype) || !userId || botUserIds.includes(userId)) return null;
  const channelId = e.channel ?? e.channel_id ?? e.item?.channel ?? "";
  // "@WaddleBot !ping" reads as "!ping", so a mention can carry a command.
  const text = type === "app_mention" ? e.text?.replace(/^\s*<@[A-Z0-9]+>\s*/, "") : e.text;
  return ChatEventSchema.parse({
    id: p.event_id,
    platform: "slack",
    type,
    communityPlatformId: p.team_id,
    channel: { id: channelId },
    user: { id: userId, username: userId },
    text: text ? text.slice(0, 4000) : undefined,
    data: {
      ...(e.ts ? { ts: e.ts } : {}),
      ...(e.reaction ? { reaction: e.reaction, itemTs: e.item?.ts, itemUser: e.item_user } : {}),
      ...(e.file_id ? { fileId: e.file_id } : {}),
    },
    reply: { kind: "slack", channelId, ...(e.thread_ts ? { threadTs: e.thread_ts } : {}) },
    receivedAt: receivedAt.toISOString(),
  });
}
