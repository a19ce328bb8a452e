import * as z from "zod";
import { DiscordComponentsSchema, SlackBlocksSchema } from "../lib/delivery/rich.ts";

/**
 * One message for one channel or one person, as the Outbox stores it; the object's name is
 * `outboxName(message)`. A channel message names its channel (Discord/Slack channel id, Twitch
 * broadcaster id); a direct message names its recipient (`userId`: Discord DM, Slack DM,
 * Twitch whisper). Exactly one of the two.
 *
 * `communityId` says whose message it is (the conn engineer's per-community tokens key on it);
 * optional because router replies from before it existed may still sit in a queue.
 */
const base = { communityId: z.uuid().optional() };
const id = z.string().min(1).max(64);

export const OutboxMessageSchema = z
  .discriminatedUnion("platform", [
    z.object({
      ...base,
      platform: z.literal("discord"),
      channelId: id.optional(),
      userId: id.optional(),
      text: z.string().min(1).max(2000),
      components: DiscordComponentsSchema.optional(),
    }),
    z.object({
      ...base,
      platform: z.literal("slack"),
      channelId: id.optional(),
      userId: id.optional(),
      text: z.string().min(1).max(4000),
      threadTs: z.string().max(64).optional(),
      blocks: SlackBlocksSchema.optional(),
    }),
    z.object({
      ...base,
      platform: z.literal("twitch"),
      broadcasterId: id.optional(),
      /** A whisper's recipient (Helix Send Whisper, from the bot account). */
      userId: id.optional(),
      text: z.string().min(1).max(500),
      replyToMessageId: z.string().max(64).optional(),
      /** A moderator (or the broadcaster) may send 100 per 30 s instead of 20. */
      botIsModerator: z.boolean().optional(),
    }),
  ])
  .refine((m) => (m.platform === "twitch" ? !!m.broadcasterId : !!m.channelId) !== !!m.userId, {
    message: "name exactly one target: a channel or a user",
  });
export type OutboxMessage = z.infer<typeof OutboxMessageSchema>;

/** A direct message (DM, whisper) rather than a channel message. */
export const isDirect = (m: OutboxMessage): boolean => !!m.userId;

/**
 * Shard key: one object per platform channel (or DM recipient), so one busy channel never slows
 * another. Twitch whispers share one object: their limits are the bot account's, not a recipient's.
 */
export function outboxName(m: OutboxMessage): string {
  if (m.platform === "twitch") return m.userId ? "twitch:whispers" : `twitch:${m.broadcasterId}`;
  return m.userId ? `${m.platform}:dm:${m.userId}` : `${m.platform}:${m.channelId}`;
}

export interface SendRule {
  limit: number;
  windowMs: number;
}

/**
 * Platform send limits per object. Twitch chat: 20 messages per 30 s, 100 when the bot is a
 * moderator (https://dev.twitch.tv/docs/chat/#rate-limits). Twitch whispers: 3 per second and
 * 100 per minute from the bot (https://dev.twitch.tv/docs/api/reference/#send-whisper). Slack:
 * about one message per second per channel, DMs included
 * (https://api.slack.com/apis/rate-limits#posting-messages). Discord publishes no fixed number;
 * its 429 `retry_after` is honoured instead. The Outbox keeps 60 s of send history, so no
 * window may be longer.
 */
export function sendLimits(m: OutboxMessage): SendRule[] {
  if (m.platform === "twitch") {
    if (m.userId)
      return [
        { limit: 3, windowMs: 1_000 },
        { limit: 100, windowMs: 60_000 },
      ];
    return [{ limit: m.botIsModerator ? 100 : 20, windowMs: 30_000 }];
  }
  if (m.platform === "slack") return [{ limit: 1, windowMs: 1_000 }];
  return [];
}
