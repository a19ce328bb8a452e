import * as z from "zod";
import { PLATFORMS } from "../db/schema/columns.ts";
import { isSimulatedUserId } from "./simulated.ts";

/**
 * The one shape every platform event is normalised into before it reaches the router
 * (DESIGN.md, "The flow of one chat message"). The webhooks worker builds it; the router
 * trusts nothing else.
 */
const PlatformSchema = z.enum(PLATFORMS);

export const EVENT_TYPES = [
  "message", // a chat line (may start with ! or #)
  "slash_command", // Discord application command, Slack /waddlebot
  "component", // Discord button/select, Slack block_actions
  "modal_submit", // Discord modal, Slack view_submission
  "autocomplete",
  "follow",
  "subscribe",
  "subscription_gift",
  "subscription_message",
  "cheer",
  "raid",
  "stream_online",
  "stream_offline",
  "ban",
  "reaction",
  "file_shared",
  "member_join",
  "app_mention",
  "voice_join", // Discord: a member joined a voice channel (gateway relay)
  "voice_time", // Discord: whole minutes a member spent in voice since the last report (data.minutes)
  "boost", // Discord: a member started boosting the server (premium_since set)
] as const;
export const EventTypeSchema = z.enum(EVENT_TYPES);

export const ChatUserSchema = z.object({
  /**
   * The platform's user id (Discord snowflake, Twitch user id, Slack user id). Never one of
   * the simulated namespace (lib/events/simulated.ts): only the simulate endpoint makes those,
   * so no platform payload, relay event or event batch can pose as a simulated user.
   */
  id: z
    .string()
    .min(1)
    .max(64)
    .refine((id) => !isSimulatedUserId(id), "user ids starting with sim: are reserved for simulated events"),
  username: z.string().max(100),
  displayName: z.string().max(100).optional(),
  /** Platform role names or ids as the platform reports them. */
  roles: z.array(z.string().max(100)).max(250).default([]),
  /** Twitch badges (broadcaster, moderator, vip, subscriber, ...). */
  badges: z.array(z.string().max(64)).max(50).default([]),
  /** Already-derived platform facts, when the platform states them directly. */
  isBroadcaster: z.boolean().optional(),
  isModerator: z.boolean().optional(),
  isSubscriber: z.boolean().optional(),
  isVip: z.boolean().optional(),
  isAdmin: z.boolean().optional(),
});

/** Where a reply to this event goes. One variant per way of answering. */
export const ReplyHandleSchema = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("discord_interaction"),
    applicationId: z.string(),
    interactionId: z.string(),
    token: z.string(),
  }),
  z.object({ kind: z.literal("discord_channel"), channelId: z.string(), messageId: z.string().optional() }),
  z.object({
    kind: z.literal("slack"),
    channelId: z.string(),
    responseUrl: z.url().optional(),
    threadTs: z.string().optional(),
  }),
  z.object({
    kind: z.literal("twitch"),
    broadcasterId: z.string(),
    replyToMessageId: z.string().optional(),
  }),
  z.object({ kind: z.literal("none") }),
]);

export const ChatEventSchema = z.object({
  /** Unique per delivery source (interaction id, EventSub message id, Slack event id, ...). */
  id: z.string().min(1).max(200),
  platform: PlatformSchema,
  type: EventTypeSchema,
  /** The platform space: Discord guild id, Twitch broadcaster id, Slack team id. */
  communityPlatformId: z.string().min(1).max(64),
  channel: z.object({ id: z.string().max(64), name: z.string().max(100).optional() }),
  user: ChatUserSchema,
  /** The chat text, for message-like events. */
  text: z.string().max(4000).optional(),
  /** Event specifics (bits, viewers, tier, custom_id, modal values, ...). */
  data: z.record(z.string(), z.unknown()).default({}),
  reply: ReplyHandleSchema,
  receivedAt: z.iso.datetime(),
});

export type ChatEvent = z.infer<typeof ChatEventSchema>;
export type ChatEventInput = z.input<typeof ChatEventSchema>;
export type ChatUser = z.infer<typeof ChatUserSchema>;
export type ReplyHandle = z.infer<typeof ReplyHandleSchema>;
export type EventType = z.infer<typeof EventTypeSchema>;

/** What the bot says back. `chat` goes to the platform; the others to the overlay room. */
export const BotReplySchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("chat"), text: z.string().min(1).max(2000), ephemeral: z.boolean().optional() }),
  z.object({ type: z.literal("media"), data: z.record(z.string(), z.unknown()) }),
  z.object({ type: z.literal("ticker"), data: z.record(z.string(), z.unknown()) }),
  z.object({ type: z.literal("general"), data: z.record(z.string(), z.unknown()) }),
  z.object({ type: z.literal("form"), data: z.record(z.string(), z.unknown()) }),
]);
export type BotReply = z.infer<typeof BotReplySchema>;

/**
 * A moderation action the platform side carries out (the router decides, the webhooks worker
 * acts): delete the message, time the user out, ban them. Replies and warnings go in `replies`.
 */
export const ModerationActionSchema = z.object({
  type: z.enum(["delete", "timeout", "ban"]),
  /** For timeout: how long, in seconds. */
  durationSec: z.number().int().positive().optional(),
  /** Shown in the platform's moderation log. */
  reason: z.string().max(500).optional(),
  ruleId: z.string().optional(),
});
export type ModerationAction = z.infer<typeof ModerationActionSchema>;

/** The router's answer to one event. */
export interface EventOutcome {
  /**
   * processed: acted on; ignored: nothing to do; unknown_community: not ours; rate_limited;
   * moderated: a moderation rule matched (see `actions`); denied: the caller's level is too low.
   */
  status: "processed" | "ignored" | "unknown_community" | "rate_limited" | "moderated" | "denied";
  replies: BotReply[];
  communityId?: string;
  /** Moderation actions for the platform side to carry out (status "moderated"). */
  actions?: ModerationAction[];
  /** When rate_limited: milliseconds until the caller may try again. */
  retryAfterMs?: number;
}
