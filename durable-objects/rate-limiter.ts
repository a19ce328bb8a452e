import { PingableObject } from "./base.ts";

/**
 * The alarm runs at most this often. Rescheduled for the very next expiry, it fired again within
 * milliseconds under steady traffic (each hit's row expires a little after the last), and each run
 * was a DELETE, a SELECT and a commit on the object the hits wait for. Rows it leaves a while longer
 * are harmless: a window is pruned by time whenever it is used.
 */
export const CLEANUP_EVERY_MS = 60_000;

export interface LimitRule {
  /** Which window inside this object (one object may hold a user's cooldown and rate). */
  bucket: string;
  /** How many hits the window allows. */
  limit: number;
  /** The sliding window's length. */
  windowMs: number;
}

export interface LimitDecision {
  allowed: boolean;
  remaining: number;
  /** When the caller may try again (0 when allowed). */
  retryAfterMs: number;
}

/**
 * A sliding-window log rate limiter. One object per key (community+user shard, account, IP
 * ...), so no single object is hot.
 *
 * Decisions are made from the windows held in memory (hit times per bucket, oldest first);
 * SQLite storage is written through, one INSERT statement per allowed hit, so a window
 * survives eviction and deploys (an isolate-memory limiter resets on every deploy). The
 * object is the only writer of its storage, so memory and storage cannot disagree: storage is
 * read once per bucket, on its first use after the object (re)starts. Expired rows are dropped
 * by the alarm, never per hit: every statement on the hit path is one more thing the output
 * gate waits for, and the one durable write per hit is the cost a limiter must pay.
 */
export class RateLimiter extends PingableObject {
  /** bucket → hit times (ms), ascending; pruned to the bucket's window as it is used. */
  private readonly windows = new Map<string, number[]>();
  /** bucket → the window length it was last used with (the alarm prunes memory by it). */
  private readonly windowMsOf = new Map<string, number>();
  /** Whether a cleanup alarm is known to be pending (checked once per object start). */
  private alarmSet = false;

  /** Whether the table exists in this instance's view (the alarm's deleteAll drops it). */
  private tableReady = false;

  /** The storage, with the table created first when this instance has not yet made sure of it. */
  private sql(): SqlStorage {
    if (!this.tableReady) {
      this.ctx.storage.sql.exec(
        "CREATE TABLE IF NOT EXISTS hits (bucket TEXT NOT NULL, at INTEGER NOT NULL, expires_at INTEGER NOT NULL); CREATE INDEX IF NOT EXISTS hits_bucket_at ON hits(bucket, at);",
      );
      this.tableReady = true;
    }
    return this.ctx.storage.sql;
  }

  /** The bucket's hits inside the window ending at `now`, loaded from storage on first use. */
  private window(bucket: string, windowMs: number, now: number): number[] {
    let hits = this.windows.get(bucket);
    if (!hits) {
      hits = this.sql()
        .exec<{ at: number }>("SELECT at FROM hits WHERE bucket = ? ORDER BY at ASC", bucket)
        .toArray()
        .map((r) => r.at);
      this.windows.set(bucket, hits);
    }
    this.windowMsOf.set(bucket, windowMs);
    dropUpTo(hits, now - windowMs);
    return hits;
  }

  /** Records a hit if every rule allows it; otherwise records nothing and says when to retry. */
  async hit(rules: LimitRule[], now = Date.now()): Promise<LimitDecision> {
    let remaining = Number.POSITIVE_INFINITY;
    let retryAfterMs = 0;
    const windows = rules.map((rule) => this.window(rule.bucket, rule.windowMs, now));
    rules.forEach((rule, i) => {
      const hits = windows[i]!;
      if (hits.length >= rule.limit) {
        // The window frees a slot when the oldest hit that keeps it full falls out of it.
        const oldest = hits[hits.length - rule.limit] ?? now;
        retryAfterMs = Math.max(retryAfterMs, oldest + rule.windowMs - now);
      }
      remaining = Math.min(remaining, rule.limit - hits.length);
    });
    if (retryAfterMs > 0) return { allowed: false, remaining: 0, retryAfterMs };

    // One statement for every rule's row: one write, one commit, whatever the number of rules.
    const values = rules.map(() => "(?, ?, ?)").join(", ");
    const params = rules.flatMap((rule) => [rule.bucket, now, now + rule.windowMs]);
    this.sql().exec(`INSERT INTO hits (bucket, at, expires_at) VALUES ${values}`, ...params);
    for (const hits of windows) insertSorted(hits, now);
    if (!this.alarmSet) await this.scheduleCleanup(now + Math.max(...rules.map((r) => r.windowMs)));
    return { allowed: true, remaining: Math.max(0, remaining - 1), retryAfterMs: 0 };
  }

  /** Reads a window without recording a hit. */
  async peek(rule: LimitRule, now = Date.now()): Promise<LimitDecision> {
    const remaining = Math.max(0, rule.limit - this.window(rule.bucket, rule.windowMs, now).length);
    return { allowed: remaining > 0, remaining, retryAfterMs: 0 };
  }

  /**
   * Gives back one hit recorded at `at` (a reservation that turned out not to count, such as
   * a login slot taken before the password check that then succeeded).
   */
  async release(bucket: string, at: number): Promise<void> {
    this.sql().exec(
      "DELETE FROM hits WHERE rowid IN (SELECT rowid FROM hits WHERE bucket = ? AND at = ? LIMIT 1)",
      bucket,
      at,
    );
    const hits = this.windows.get(bucket);
    const i = hits?.indexOf(at) ?? -1;
    if (hits && i >= 0) hits.splice(i, 1);
  }

  /** Forgets a bucket (an admin clearing a cooldown). */
  async reset(bucket: string): Promise<void> {
    this.sql().exec("DELETE FROM hits WHERE bucket = ?", bucket);
    this.windows.delete(bucket);
    this.windowMsOf.delete(bucket);
  }

  /**
   * Sets the cleanup alarm only when none is pending: alarm() reschedules itself for the next
   * expiry, so moving the alarm on every hit (a storage write each time) buys nothing.
   */
  private async scheduleCleanup(at: number): Promise<void> {
    if ((await this.ctx.storage.getAlarm()) === null) await this.ctx.storage.setAlarm(at);
    this.alarmSet = true;
  }

  /**
   * Drops hits whose window has passed; when none are left the storage goes: an idle key costs
   * nothing. Memory is pruned the same way rather than cleared, so a bucket in use is not read
   * back from storage on its next hit; buckets left empty go.
   */
  override async alarm(): Promise<void> {
    const now = Date.now();
    const sql = this.sql();
    sql.exec("DELETE FROM hits WHERE expires_at <= ?", now);
    const next = sql.exec<{ at: number | null }>("SELECT min(expires_at) AS at FROM hits").one().at;
    this.alarmSet = next !== null;
    if (next === null) {
      this.windows.clear();
      this.windowMsOf.clear();
      await this.ctx.storage.deleteAll();
      // deleteAll drops the table too; the next hit on this instance creates it again.
      this.tableReady = false;
      return;
    }
    for (const [bucket, hits] of this.windows) {
      dropUpTo(hits, now - (this.windowMsOf.get(bucket) ?? 0));
      if (hits.length === 0) {
        this.windows.delete(bucket);
        this.windowMsOf.delete(bucket);
      }
    }
    await this.ctx.storage.setAlarm(Math.max(next, now + CLEANUP_EVERY_MS));
  }
}

/** Drops the hits at or before `edge` (they have left the window; the same edge the alarm's DELETE uses). */
function dropUpTo(hits: number[], edge: number): void {
  let expired = 0;
  while (expired < hits.length && hits[expired]! <= edge) expired++;
  if (expired > 0) hits.splice(0, expired);
}

/** Hit times arrive in order in production (now); tests pass explicit times, possibly older. */
function insertSorted(hits: number[], at: number): void {
  let i = hits.length;
  while (i > 0 && hits[i - 1]! > at) i--;
  hits.splice(i, 0, at);
}
