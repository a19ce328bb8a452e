import * as z from "zod";
import { assertLinked, slackBotToken, type TokenEnv, twitchBotAuth } from "../lib/connections/tokens.ts";
import { log } from "../lib/log.ts";
import { sendChannelMessage } from "../lib/platforms/discord.ts";
import { PlatformError } from "../lib/platforms/http.ts";
import { postMessage, slackBlocks } from "../lib/platforms/slack.ts";
import { sendChatMessage } from "../lib/platforms/twitch.ts";
import { PingableObject } from "./base.ts";

/**
 * The community a message is sent for: its own platform token is used (Slack: the workspace's
 * bot token). Optional so messages queued before it existed still parse; without it the token is
 * the local demo fallback.
 */
const communityId = z.uuid().optional();

/** One chat message for one channel; the object's name is `outboxName(message)`. */
export const OutboxMessageSchema = z.discriminatedUnion("platform", [
  z.object({
    platform: z.literal("discord"),
    communityId,
    channelId: z.string().min(1).max(64),
    text: z.string().min(1).max(2000),
  }),
  z.object({
    platform: z.literal("slack"),
    communityId,
    channelId: z.string().min(1).max(64),
    text: z.string().min(1).max(4000),
    threadTs: z.string().max(64).optional(),
  }),
  z.object({
    platform: z.literal("twitch"),
    communityId,
    broadcasterId: z.string().min(1).max(64),
    text: z.string().min(1).max(500),
    replyToMessageId: z.string().max(64).optional(),
    /** A moderator (or the broadcaster) may send 100 per 30 s instead of 20. */
    botIsModerator: z.boolean().optional(),
  }),
]);
export type OutboxMessage = z.infer<typeof OutboxMessageSchema>;

/** Shard key: one object per platform channel, so one busy channel never slows another. */
export function outboxName(m: OutboxMessage): string {
  return m.platform === "twitch" ? `twitch:${m.broadcasterId}` : `${m.platform}:${m.channelId}`;
}

/**
 * Platform send limits per channel. Twitch: 20 messages per 30 s, 100 when the bot is a
 * moderator (https://dev.twitch.tv/docs/chat/#rate-limits). Slack: about one message per
 * second per channel (https://api.slack.com/apis/rate-limits#posting-messages). Discord
 * publishes no fixed number; its 429 `retry_after` is honoured instead.
 */
export function sendLimit(m: OutboxMessage): { limit: number; windowMs: number } | null {
  if (m.platform === "twitch") return { limit: m.botIsModerator ? 100 : 20, windowMs: 30_000 };
  if (m.platform === "slack") return { limit: 1, windowMs: 1_000 };
  return null;
}

export const MAX_ATTEMPTS = 6;
export const MAX_QUEUED = 200;
// A send that dies with the object (eviction, deploy) is retried by this safety alarm.
const LEASE_MS = 30_000;

interface Row extends Record<string, SqlStorageValue> {
  seq: number;
  payload: string;
  attempts: number;
  next_at: number;
}

/**
 * A per-channel outbox: queues chat messages in order and sends them within the platform's
 * send limit, retrying transient failures (429, 5xx, network) with the wait the platform
 * named, or exponential backoff. Scheduling is by alarm, so queued work survives eviction.
 */
export class Outbox extends PingableObject<TokenEnv> {
  private draining = false;

  constructor(ctx: DurableObjectState, env: TokenEnv) {
    super(ctx, env);
    ctx.storage.sql.exec(
      `CREATE TABLE IF NOT EXISTS queue (seq INTEGER PRIMARY KEY AUTOINCREMENT, payload TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, next_at INTEGER NOT NULL);
       CREATE TABLE IF NOT EXISTS sent (at INTEGER NOT NULL);`,
    );
  }

  /** Queues a message and sends what the limits allow now; the rest goes by alarm. */
  async enqueue(input: OutboxMessage, now = Date.now()): Promise<{ queued: number }> {
    const parsed = OutboxMessageSchema.safeParse(input);
    if (!parsed.success) throw new TypeError(`invalid outbox message: ${z.prettifyError(parsed.error)}`);
    const message = parsed.data;
    const sql = this.ctx.storage.sql;
    const queued = sql.exec<{ n: number }>("SELECT count(*) AS n FROM queue").one().n;
    if (queued >= MAX_QUEUED) {
      log.warn("outbox full, message dropped", { platform: message.platform, queued });
      return { queued };
    }
    sql.exec("INSERT INTO queue (payload, next_at) VALUES (?, ?)", JSON.stringify(message), now);
    await this.drain(now);
    return { queued: this.pending() };
  }

  /** Messages still waiting. */
  pending(): number {
    return this.ctx.storage.sql.exec<{ n: number }>("SELECT count(*) AS n FROM queue").one().n;
  }

  /**
   * Sends queued messages in order until the queue is empty, a limit is reached, or the head
   * message must wait for a retry; then schedules the alarm for when work is possible again.
   */
  async drain(now = Date.now()): Promise<void> {
    // One drainer at a time: sends await the network, and a second drainer would double-send.
    if (this.draining) return;
    this.draining = true;
    try {
      await this.drainLoop(now);
    } finally {
      this.draining = false;
    }
  }

  private async drainLoop(now: number): Promise<void> {
    const sql = this.ctx.storage.sql;
    for (;;) {
      const head = sql.exec<Row>("SELECT * FROM queue ORDER BY seq LIMIT 1").toArray()[0];
      if (!head) {
        await this.ctx.storage.deleteAlarm();
        return;
      }
      if (head.next_at > now) return this.ctx.storage.setAlarm(head.next_at);
      const message = OutboxMessageSchema.parse(JSON.parse(head.payload));
      const wait = this.limitWait(message, now);
      if (wait > 0) return this.ctx.storage.setAlarm(now + wait);

      await this.ctx.storage.setAlarm(now + LEASE_MS);
      try {
        await this.send(message);
        sql.exec("DELETE FROM queue WHERE seq = ?", head.seq);
        sql.exec("INSERT INTO sent (at) VALUES (?)", now);
        sql.exec("DELETE FROM sent WHERE at <= ?", now - 60_000);
      } catch (err) {
        const attempts = head.attempts + 1;
        const transient = err instanceof PlatformError && err.transient;
        if (!transient || attempts >= MAX_ATTEMPTS) {
          log.error("outbox message dropped", { platform: message.platform, attempts, error: err });
          sql.exec("DELETE FROM queue WHERE seq = ?", head.seq);
          continue;
        }
        const delay = (err as PlatformError).retryAfterMs ?? Math.min(60_000, 1_000 * 2 ** (attempts - 1));
        sql.exec("UPDATE queue SET attempts = ?, next_at = ? WHERE seq = ?", attempts, now + delay, head.seq);
        return this.ctx.storage.setAlarm(now + delay);
      }
    }
  }

  /** How long until the channel's send window has room (0 = now). */
  private limitWait(message: OutboxMessage, now: number): number {
    const rule = sendLimit(message);
    if (!rule) return 0;
    const rows = this.ctx.storage.sql
      .exec<{ at: number }>("SELECT at FROM sent WHERE at > ? ORDER BY at", now - rule.windowMs)
      .toArray();
    if (rows.length < rule.limit) return 0;
    const oldest = rows[rows.length - rule.limit]!.at;
    return Math.max(1, oldest + rule.windowMs - now);
  }

  /**
   * Sends with the right token: Discord's one bot token (the bot is one account in every guild),
   * the community's Slack workspace token, Twitch as the instance's bot account (its user token).
   */
  private async send(m: OutboxMessage): Promise<void> {
    if (m.communityId) await assertLinked(this.env, m.platform, m.communityId);
    if (m.platform === "discord") await sendChannelMessage(this.env, m.channelId, { content: m.text });
    else if (m.platform === "slack") {
      const token = await slackBotToken(this.env, m.communityId ? { communityId: m.communityId } : null);
      await postMessage(this.env, token, m.channelId, {
        text: m.text,
        blocks: slackBlocks(m.text),
        thread_ts: m.threadTs,
      });
    } else await sendChatMessage(this.env, m.broadcasterId, m.text, m.replyToMessageId, await twitchBotAuth(this.env));
  }

  override async alarm(): Promise<void> {
    await this.drain(Date.now());
  }
}
