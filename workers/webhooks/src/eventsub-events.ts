import * as z from "zod";
import { ANONYMOUS } from "../../../lib/activity/points.ts";
import { type ChatEvent, ChatEventSchema, type ChatUser } from "../../../lib/events/chat-event.ts";
import { EVENTSUB_TYPES } from "../../../lib/platforms/eventsub-types.ts";

const id = z.string().max(64);
const name = z.string().max(100);
// Twitch sends the fields of each type flat on `event`; the ones used here, all optional so
// one schema reads every type (and null for anonymous cheers and gifts).
const EventSchema = z.looseObject({
  broadcaster_user_id: id.optional(),
  to_broadcaster_user_id: id.optional(),
  from_broadcaster_user_id: id.optional(),
  from_broadcaster_user_login: name.optional(),
  from_broadcaster_user_name: name.optional(),
  user_id: id.nullish(),
  user_login: name.nullish(),
  user_name: name.nullish(),
  chatter_user_id: id.optional(),
  chatter_user_login: name.optional(),
  chatter_user_name: name.optional(),
  message_id: id.optional(),
  message: z.union([z.string().max(4000), z.looseObject({ text: z.string().max(4000).optional() })]).nullish(),
  badges: z
    .array(z.looseObject({ set_id: z.string().max(64) }))
    .max(50)
    .optional(),
  bits: z.number().int().nonnegative().optional(),
  viewers: z.number().int().nonnegative().optional(),
  tier: z.string().max(10).optional(),
  total: z.number().int().optional(),
  cumulative_months: z.number().int().optional(),
  is_gift: z.boolean().optional(),
  is_anonymous: z.boolean().optional(),
  reason: z.string().max(1000).optional(),
  is_permanent: z.boolean().optional(),
  moderator_user_id: id.optional(),
  type: z.string().max(32).optional(),
  started_at: z.string().max(64).optional(),
});
type TwitchEvent = z.infer<typeof EventSchema>;

/** Badges of a chatter (channel.chat.message) as ChatUser facts. */
function chatter(e: TwitchEvent): ChatUser {
  const badges = (e.badges ?? []).map((b) => b.set_id);
  return {
    id: e.chatter_user_id ?? ANONYMOUS,
    username: e.chatter_user_login ?? ANONYMOUS,
    displayName: e.chatter_user_name,
    roles: [],
    badges,
    isBroadcaster: badges.includes("broadcaster"),
    isModerator: badges.includes("moderator") || badges.includes("broadcaster"),
    isSubscriber: badges.includes("subscriber") || badges.includes("founder"),
    isVip: badges.includes("vip"),
  };
}

function actor(e: TwitchEvent, type: string): ChatUser {
  if (type === "channel.chat.message") return chatter(e);
  if (type === "channel.raid") {
    return {
      id: e.from_broadcaster_user_id ?? ANONYMOUS,
      username: e.from_broadcaster_user_login ?? ANONYMOUS,
      displayName: e.from_broadcaster_user_name,
      roles: [],
      badges: [],
    };
  }
  if (type.startsWith("stream."))
    return { id: e.broadcaster_user_id ?? ANONYMOUS, username: "", roles: [], badges: [], isBroadcaster: true };
  const anonymous = e.is_anonymous || !e.user_id;
  return {
    id: anonymous ? ANONYMOUS : e.user_id!,
    username: anonymous ? ANONYMOUS : (e.user_login ?? ""),
    displayName: anonymous ? undefined : (e.user_name ?? undefined),
    roles: [],
    badges: [],
  };
}

/** The specifics of each type, for the router and the overlays. */
function details(e: TwitchEvent): Record<string, unknown> {
  const keys = [
    "bits",
    "viewers",
    "tier",
    "total",
    "cumulative_months",
    "is_gift",
    "reason",
    "is_permanent",
    "moderator_user_id",
    "type",
    "started_at",
  ] as const;
  return Object.fromEntries(keys.filter((k) => e[k] !== undefined).map((k) => [k === "type" ? "streamType" : k, e[k]]));
}

/**
 * One EventSub notification as a ChatEvent. Null for a type WaddleBot does not handle.
 * A raid belongs to the raided channel (to_broadcaster_user_id); the raider earns the points.
 */
export function eventSubToChatEvent(
  messageId: string,
  subscriptionType: string,
  rawEvent: unknown,
  receivedAt = new Date(),
): ChatEvent | null {
  const known = EVENTSUB_TYPES[subscriptionType];
  if (!known) return null;
  const e = EventSchema.parse(rawEvent);
  const broadcasterId = subscriptionType === "channel.raid" ? e.to_broadcaster_user_id : e.broadcaster_user_id;
  const text = typeof e.message === "string" ? e.message : (e.message?.text ?? undefined);
  return ChatEventSchema.parse({
    id: messageId,
    platform: "twitch",
    type: known.event,
    communityPlatformId: broadcasterId,
    channel: { id: broadcasterId },
    user: actor(e, subscriptionType),
    text: text || undefined,
    data: { subscriptionType, ...details(e), ...(e.message_id ? { messageId: e.message_id } : {}) },
    reply:
      subscriptionType === "channel.chat.message"
        ? { kind: "twitch", broadcasterId, replyToMessageId: e.message_id }
        : { kind: "twitch", broadcasterId },
    receivedAt: receivedAt.toISOString(),
  });
}
