import type { PlatformConfig } from "../lib/config.ts";
import { log } from "../lib/log.ts";
import { type ChatTarget, type ModuleDeliveryEnv, sendChat } from "../lib/modules/deliver.ts";
import type { SpotifyEnv } from "../lib/spotify/config.ts";
import { PingableObject } from "./base.ts";
import type { OverlayRoom } from "./overlay-room.ts";
import { pollIfDue, pollState, SPOTIFY_POLL_TABLE, startPoll } from "./spotify-poll.ts";

/** The modules worker's bindings this object uses: the Outbox, and for the Spotify poll D1 and the overlay room. */
export type SchedulerEnv = ModuleDeliveryEnv &
  PlatformConfig &
  Partial<SpotifyEnv> & { OVERLAY_ROOM?: DurableObjectNamespace<OverlayRoom> };

/** A one-shot message (a `!remind`). */
export interface Reminder {
  id: string;
  target: ChatTarget;
  text: string;
  dueAt: number;
}

/** A repeating message (a timer): every `intervalMs` while live, if the channel had `minLines` lines. */
export interface TimerJob {
  id: string;
  target: ChatTarget;
  text: string;
  intervalMs: number;
  minLines: number;
}

/** A timer that was due but held back (not live, too few lines) is looked at again this soon. */
export const RECHECK_MS = 60_000;
/** Reminders kept per community (a flood of `!remind` must not grow storage without bound). */
export const MAX_REMINDERS = 500;

const channelKey = (t: Pick<ChatTarget, "platform" | "channelId">) => `${t.platform}:${t.channelId}`;

/**
 * The first-party modules' schedule for one community (idFromName(communityId)): reminders and
 * timers on one alarm, plus the chat-line counts timers wait for. It knows nothing of the modules'
 * tables: the modules worker tells it what to send and when; it sends through the one
 * proactive-chat function (lib/modules/deliver.ts). Storage is SQLite, so all of it survives
 * eviction and restarts.
 */
export class ModuleScheduler extends PingableObject<SchedulerEnv> {
  constructor(ctx: DurableObjectState, env: SchedulerEnv) {
    super(ctx, env);
    ctx.blockConcurrencyWhile(async () => {
      const sql = ctx.storage.sql;
      sql.exec(
        `CREATE TABLE IF NOT EXISTS reminders (id TEXT PRIMARY KEY, due_at INTEGER NOT NULL, target TEXT NOT NULL, text TEXT NOT NULL)`,
      );
      sql.exec(`CREATE TABLE IF NOT EXISTS timers (id TEXT PRIMARY KEY, channel TEXT NOT NULL, target TEXT NOT NULL, text TEXT NOT NULL,
        interval_ms INTEGER NOT NULL, min_lines INTEGER NOT NULL, next_at INTEGER NOT NULL, lines_at INTEGER NOT NULL DEFAULT 0)`);
      sql.exec(`CREATE TABLE IF NOT EXISTS lines (channel TEXT PRIMARY KEY, total INTEGER NOT NULL)`);
      sql.exec(`CREATE TABLE IF NOT EXISTS state (key TEXT PRIMARY KEY, value TEXT NOT NULL)`);
      sql.exec(SPOTIFY_POLL_TABLE);
    });
  }

  /** Schedules a reminder; false when the community already has MAX_REMINDERS pending. */
  async remind(r: Reminder): Promise<boolean> {
    const sql = this.ctx.storage.sql;
    if (sql.exec<{ n: number }>("SELECT count(*) AS n FROM reminders").one().n >= MAX_REMINDERS) return false;
    sql.exec("INSERT OR REPLACE INTO reminders VALUES (?, ?, ?, ?)", r.id, r.dueAt, JSON.stringify(r.target), r.text);
    await this.reschedule();
    return true;
  }

  /** Drops the pending reminders whose id starts with `prefix` (a removed calendar event's). */
  async forgetReminders(prefix: string): Promise<number> {
    const n = this.ctx.storage.sql.exec(
      "DELETE FROM reminders WHERE substr(id, 1, ?) = ?",
      prefix.length,
      prefix,
    ).rowsWritten;
    await this.reschedule();
    return n;
  }

  /** The pending reminders whose id starts with `prefix`, soonest first. */
  async remindersLike(prefix: string): Promise<{ id: string; dueAt: number; text: string }[]> {
    return this.ctx.storage.sql
      .exec<{ id: string; due_at: number; text: string }>(
        "SELECT id, due_at, text FROM reminders WHERE substr(id, 1, ?) = ? ORDER BY due_at",
        prefix.length,
        prefix,
      )
      .toArray()
      .map((r) => ({ id: r.id, dueAt: r.due_at, text: r.text }));
  }

  async pendingReminders(): Promise<number> {
    return this.ctx.storage.sql.exec<{ n: number }>("SELECT count(*) AS n FROM reminders").one().n;
  }

  /** Adds or replaces a timer; its first post is one interval from now. */
  async setTimer(t: TimerJob, now = Date.now()): Promise<void> {
    const key = channelKey(t.target);
    const sql = this.ctx.storage.sql;
    const total =
      sql.exec<{ total: number }>("SELECT total FROM lines WHERE channel = ?", key).toArray()[0]?.total ?? 0;
    sql.exec(
      "INSERT OR REPLACE INTO timers VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
      t.id,
      key,
      JSON.stringify(t.target),
      t.text,
      t.intervalMs,
      t.minLines,
      now + t.intervalMs,
      total,
    );
    await this.reschedule();
  }

  async removeTimer(id: string): Promise<void> {
    this.ctx.storage.sql.exec("DELETE FROM timers WHERE id = ?", id);
    await this.reschedule();
  }

  /** One chat line in a channel; counted only where a timer listens (so idle channels cost nothing). */
  async countLine(platform: string, channelId: string): Promise<void> {
    const key = `${platform}:${channelId}`;
    const sql = this.ctx.storage.sql;
    if (sql.exec("SELECT 1 FROM timers WHERE channel = ? LIMIT 1", key).toArray().length === 0) return;
    sql.exec("INSERT INTO lines VALUES (?, 1) ON CONFLICT (channel) DO UPDATE SET total = total + 1", key);
  }

  /** Stream online/offline: timers speak only while live. */
  async setLive(live: boolean): Promise<void> {
    this.ctx.storage.sql.exec("INSERT OR REPLACE INTO state VALUES ('live', ?)", live ? "1" : "0");
  }

  /** The timers' next post times and the lines counted since their last post. */
  async timers(): Promise<{ id: string; nextAt: number; linesSince: number }[]> {
    return this.ctx.storage.sql
      .exec<{ id: string; next_at: number; since: number }>(
        "SELECT t.id, t.next_at, coalesce(l.total, 0) - t.lines_at AS since FROM timers t LEFT JOIN lines l ON l.channel = t.channel",
      )
      .toArray()
      .map((r) => ({ id: r.id, nextAt: r.next_at, linesSince: r.since }));
  }

  /**
   * Something Spotify happened (connected, a command, going live): keep polling now playing
   * every POLL_MS until IDLE_MS pass with nothing playing while not live. A poll that was not
   * running starts at once; a running one looks again within `soonMs` (a skip) or on its cadence.
   */
  async pollSpotify(communityId: string, soonMs?: number, now = Date.now()): Promise<void> {
    startPoll(this.ctx.storage.sql, communityId, soonMs, now);
    await this.reschedule();
  }

  /** Disconnected: no more polls. */
  async stopSpotify(): Promise<void> {
    this.ctx.storage.sql.exec("DELETE FROM spotify_poll");
    await this.reschedule();
  }

  /** The poll's state (tests, the portal): null when it is not running. */
  async spotifyPoll(): Promise<{ nextAt: number; untilAt: number; last: string } | null> {
    return pollState(this.ctx.storage.sql);
  }

  override async alarm(): Promise<void> {
    await this.tick(Date.now());
  }

  /**
   * Sends what is due at `now` (the alarm passes the clock; tests pass a later one instead of
   * waiting) and sets the next alarm. A failed send (refused by the delivery service, say) is
   * logged and not retried here: the Outbox owns retries, and a reminder must never be sent twice.
   */
  async tick(now: number): Promise<{ sent: string[] }> {
    const sql = this.ctx.storage.sql;
    const sent: string[] = [];
    const due = sql
      .exec<{ id: string; target: string; text: string }>(
        "SELECT id, target, text FROM reminders WHERE due_at <= ?",
        now,
      )
      .toArray();
    for (const r of due) {
      sql.exec("DELETE FROM reminders WHERE id = ?", r.id);
      await this.send(JSON.parse(r.target), r.text);
      sent.push(r.id);
    }
    const live = sql.exec<{ value: string }>("SELECT value FROM state WHERE key = 'live'").toArray()[0]?.value === "1";
    const timers = sql
      .exec<{
        id: string;
        target: string;
        text: string;
        interval_ms: number;
        min_lines: number;
        lines_at: number;
        total: number;
      }>(
        `SELECT t.id, t.target, t.text, t.interval_ms, t.min_lines, t.lines_at, coalesce(l.total, 0) AS total
         FROM timers t LEFT JOIN lines l ON l.channel = t.channel WHERE t.next_at <= ?`,
        now,
      )
      .toArray();
    for (const t of timers) {
      if (!live || t.total - t.lines_at < t.min_lines) {
        sql.exec("UPDATE timers SET next_at = ? WHERE id = ?", now + RECHECK_MS, t.id);
        continue;
      }
      sql.exec("UPDATE timers SET next_at = ?, lines_at = ? WHERE id = ?", now + t.interval_ms, t.total, t.id);
      await this.send(JSON.parse(t.target), t.text);
      sent.push(t.id);
    }
    await this.tickSpotify(now, live);
    await this.reschedule();
    return { sent };
  }

  private polling = false;

  private async tickSpotify(now: number, live: boolean) {
    // One poll at a time: the alarm and a test's tick (or two alarms) must not publish twice.
    if (!this.env.DB || this.polling) return;
    this.polling = true;
    const rooms = this.env.OVERLAY_ROOM;
    try {
      const room = (id: string) => (rooms ? rooms.get(rooms.idFromName(id)) : null);
      await pollIfDue(this.ctx.storage.sql, this.env as SpotifyEnv, room, now, live);
    } finally {
      this.polling = false;
    }
  }

  private async send(target: ChatTarget, text: string) {
    try {
      await sendChat(this.env, target, text);
    } catch (err) {
      log.error("scheduled message not delivered", { communityId: target.communityId, error: err });
    }
  }

  private async reschedule() {
    const next = this.ctx.storage.sql
      .exec<{ at: number | null }>(
        `SELECT min(at) AS at FROM (SELECT min(due_at) AS at FROM reminders UNION ALL SELECT min(next_at) FROM timers
         UNION ALL SELECT min(next_at) FROM spotify_poll)`,
      )
      .one().at;
    if (next === null) await this.ctx.storage.deleteAlarm();
    else await this.ctx.storage.setAlarm(next);
  }
}
