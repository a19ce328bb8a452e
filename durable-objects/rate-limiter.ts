import { PingableObject } from "./base.ts";

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
    // Hits at or before now - windowMs have left the window (the same edge the alarm uses).
    let expired = 0;
    while (expired < hits.length && hits[expired]! <= now - windowMs) expired++;
    if (expired > 0) hits.splice(0, expired);
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
  }

  /**
   * Sets the cleanup alarm only when none is pending: alarm() reschedules itself for the next
   * expiry, so moving the alarm on every hit (a storage write each time) buys nothing.
   */
  private async scheduleCleanup(at: number): Promise<void> {
    if ((await this.ctx.storage.getAlarm()) === null) await this.ctx.storage.setAlarm(at);
    this.alarmSet = true;
  }

  /** Drops hits whose window has passed; when none are left the storage goes: an idle key costs nothing. */
  override async alarm(): Promise<void> {
    const sql = this.sql();
    sql.exec("DELETE FROM hits WHERE expires_at <= ?", Date.now());
    const next = sql.exec<{ at: number | null }>("SELECT min(expires_at) AS at FROM hits").one().at;
    // Memory is a cache of storage: dropping it here lets idle buckets go; a bucket used again is re-read.
    this.windows.clear();
    this.alarmSet = next !== null;
    if (next === null) {
      await this.ctx.storage.deleteAll();
      // deleteAll drops the table too; the next hit on this instance creates it again.
      this.tableReady = false;
    } else await this.ctx.storage.setAlarm(next);
  }
}

/** Hit times arrive in order in production (now); tests pass explicit times, possibly older. */
function insertSorted(hits: number[], at: number): void {
  let i = hits.length;
  while (i > 0 && hits[i - 1]! > at) i--;
  hits.splice(i, 0, at);
}
