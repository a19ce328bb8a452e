import * as z from "zod";
import { assertLinked, slackBotToken, type TokenEnv, twitchBotAuth } from "../lib/connections/tokens.ts";
import { log } from "../lib/log.ts";
import { sendDirectMessage as discordDm, sendChannelMessage } from "../lib/platforms/discord.ts";
import { PlatformError } from "../lib/platforms/http.ts";
import { postMessage, slackBlocks, sendDirectMessage as slackDm } from "../lib/platforms/slack.ts";
import { sendChatMessage, sendWhisper } from "../lib/platforms/twitch.ts";
import { PingableObject } from "./base.ts";
import { type OutboxMessage, OutboxMessageSchema, sendLimits } from "./outbox-message.ts";

/**
 * What became of the message just enqueued: sent at once, waiting (limit, retry, or another
 * drain in progress), dropped as undeliverable (a refusal that retrying cannot fix), or refused
 * because the queue is full.
 */
export type EnqueueStatus = "sent" | "queued" | "failed" | "full";

export { isDirect, type OutboxMessage, OutboxMessageSchema, outboxName, sendLimits } from "./outbox-message.ts";

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
  // Outcomes of this isolate's sends, by seq, so enqueue can tell its caller what happened.
  private outcomes = new Map<number, "sent" | "failed">();

  constructor(ctx: DurableObjectState, env: TokenEnv) {
    super(ctx, env);
    ctx.storage.sql.exec(
      `CREATE TABLE IF NOT EXISTS queue (seq INTEGER PRIMARY KEY AUTOINCREMENT, payload TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, next_at INTEGER NOT NULL);
       CREATE TABLE IF NOT EXISTS sent (at INTEGER NOT NULL);`,
    );
  }

  /** Queues a message and sends what the limits allow now; the rest goes by alarm. */
  async enqueue(input: OutboxMessage, now = Date.now()): Promise<{ queued: number; status: EnqueueStatus }> {
    const parsed = OutboxMessageSchema.safeParse(input);
    if (!parsed.success) throw new TypeError(`invalid outbox message: ${z.prettifyError(parsed.error)}`);
    const message = parsed.data;
    const sql = this.ctx.storage.sql;
    const queued = sql.exec<{ n: number }>("SELECT count(*) AS n FROM queue").one().n;
    if (queued >= MAX_QUEUED) {
      log.warn("outbox full, message dropped", { platform: message.platform, queued });
      return { queued, status: "full" };
    }
    const { seq } = sql
      .exec<{ seq: number }>(
        "INSERT INTO queue (payload, next_at) VALUES (?, ?) RETURNING seq",
        JSON.stringify(message),
        now,
      )
      .one();
    await this.drain(now);
    const outcome = this.outcomes.get(seq) ?? "queued";
    this.outcomes.delete(seq);
    return { queued: this.pending(), status: outcome };
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
        this.remember(head.seq, "sent");
        sql.exec("INSERT INTO sent (at) VALUES (?)", now);
        sql.exec("DELETE FROM sent WHERE at <= ?", now - 60_000);
      } catch (err) {
        const attempts = head.attempts + 1;
        const transient = err instanceof PlatformError && err.transient;
        if (!transient || attempts >= MAX_ATTEMPTS) {
          log.error("outbox message dropped", { platform: message.platform, attempts, error: err });
          sql.exec("DELETE FROM queue WHERE seq = ?", head.seq);
          this.remember(head.seq, "failed");
          continue;
        }
        const delay = (err as PlatformError).retryAfterMs ?? Math.min(60_000, 1_000 * 2 ** (attempts - 1));
        sql.exec("UPDATE queue SET attempts = ?, next_at = ? WHERE seq = ?", attempts, now + delay, head.seq);
        return this.ctx.storage.setAlarm(now + delay);
      }
    }
  }

  private remember(seq: number, outcome: "sent" | "failed"): void {
    this.outcomes.set(seq, outcome);
    // Only the enqueue that is waiting reads it; alarm-time outcomes nobody reads are trimmed.
    if (this.outcomes.size > MAX_QUEUED) this.outcomes.delete(this.outcomes.keys().next().value!);
  }

  /** How long until every send window of the message has room (0 = now). */
  private limitWait(message: OutboxMessage, now: number): number {
    let wait = 0;
    for (const rule of sendLimits(message)) {
      const rows = this.ctx.storage.sql
        .exec<{ at: number }>("SELECT at FROM sent WHERE at > ? ORDER BY at", now - rule.windowMs)
        .toArray();
      if (rows.length < rule.limit) continue;
      const oldest = rows[rows.length - rule.limit]!.at;
      wait = Math.max(wait, oldest + rule.windowMs - now, 1);
    }
    return wait;
  }

  /**
   * Sends with the right token: Discord's one bot token (the bot is one account in every guild),
   * the community's Slack workspace token, Twitch as the instance's bot account (its user token).
   */
  private async send(m: OutboxMessage): Promise<void> {
    if (m.communityId) await assertLinked(this.env, m.platform, m.communityId);
    if (m.platform === "discord") {
      const body = { content: m.text, ...(m.components ? { components: m.components } : {}) };
      if (m.userId) await discordDm(this.env, m.userId, body);
      else await sendChannelMessage(this.env, m.channelId!, body);
    } else if (m.platform === "slack") {
      const token = await slackBotToken(this.env, m.communityId ? { communityId: m.communityId } : null);
      const body = { text: m.text, blocks: m.blocks ?? slackBlocks(m.text), thread_ts: m.threadTs };
      if (m.userId) await slackDm(this.env, token, m.userId, body);
      else await postMessage(this.env, token, m.channelId!, body);
    } else if (m.userId) await sendWhisper(this.env, m.userId, m.text, await twitchBotAuth(this.env));
    else await sendChatMessage(this.env, m.broadcasterId!, m.text, m.replyToMessageId, await twitchBotAuth(this.env));
  }

  override async alarm(): Promise<void> {
    await this.drain(Date.now());
  }
}
