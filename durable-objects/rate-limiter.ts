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
  /** Slots granted beyond this hit for the caller to spend itself (see LeaseAsk); 0 without one. */
  leased?: number;
  /** Until when (ms, this object's clock) the leased slots may be spent. */
  leaseUntil?: number;
}

/**
 * A caller (the router isolate) asking for slots of a rate window beyond the hit it makes, to
 * decide its next hits for the same rules from its own memory instead of a round trip each.
 * Every leased slot is recorded here, durably, before it is granted, and counted as if it were
 * spent at the grant for the rule's window plus the lease (the latest it may be spent), so the
 * window is never exceeded however the slots are spent, and a lease survives eviction and
 * deploys like any hit. A slot the caller never spends (its isolate gone) stays counted until
 * then: a lease errs on the strict side.
 */
export interface LeaseAsk {
  /** How many slots beyond this hit the caller would like (granted at most LEASE_MAX_SLOTS). */
  slots: number;
  /** How long the caller may spend them (at most LEASE_MAX_MS). */
  ms: number;
}

/** The most slots one lease grants: never more than an eighth of any of its rules' limits. */
export const LEASE_MAX_SLOTS = 32;
export const LEASE_FRACTION = 8;
/** The longest a lease lasts: a lowered limit or a lost isolate costs at most this long. */
export const LEASE_MAX_MS = 10_000;

/** The slots a lease on `rules` may grant, before what is left in the windows: 0 for cooldowns. */
export function leaseCap(rules: LimitRule[], slots: number): number {
  const smallest = Math.min(...rules.map((r) => r.limit));
  return Math.max(0, Math.min(slots, LEASE_MAX_SLOTS, Math.floor(smallest / LEASE_FRACTION)));
}

/**
 * A sliding-window log rate limiter. One object per key (community+user shard, account, IP
 * ...), so no single object is hot.
 *
 * Decisions are made from the windows held in memory (when each hit leaves its window, soonest
 * first: a leased slot leaves later than a plain hit made at the same time);
 * SQLite storage is written through, one INSERT statement per allowed hit, so a window
 * survives eviction and deploys (an isolate-memory limiter resets on every deploy). The
 * object is the only writer of its storage, so memory and storage cannot disagree: storage is
 * read once per bucket, on its first use after the object (re)starts. Expired rows are dropped
 * by the alarm, never per hit: every statement on the hit path is one more thing the output
 * gate waits for, and the one durable write per hit is the cost a limiter must pay.
 */
export class RateLimiter extends PingableObject {
  /** bucket → when each of its hits leaves the window (ms), ascending; pruned as it is used. */
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

  /** When the bucket's hits still in their windows at `now` leave them, loaded on first use. */
  private window(bucket: string, now: number): number[] {
    let hits = this.windows.get(bucket);
    if (!hits) {
      hits = this.sql()
        .exec<{ e: number }>("SELECT expires_at AS e FROM hits WHERE bucket = ? ORDER BY expires_at ASC", bucket)
        .toArray()
        .map((r) => r.e);
      this.windows.set(bucket, hits);
    }
    dropUpTo(hits, now);
    return hits;
  }

  /**
   * Records a hit if every rule allows it; otherwise records nothing and says when to retry.
   * With `lease`, also grants (and records) up to that many more slots, as far as every rule's
   * window has room for them after this hit (see LeaseAsk).
   */
  async hit(rules: LimitRule[], now = Date.now(), lease?: LeaseAsk): Promise<LimitDecision> {
    let remaining = Number.POSITIVE_INFINITY;
    let retryAfterMs = 0;
    const windows = rules.map((rule) => this.window(rule.bucket, now));
    rules.forEach((rule, i) => {
      const hits = windows[i]!;
      if (hits.length >= rule.limit) {
        // The window frees a slot when the soonest hit that keeps it full leaves it.
        const soonest = hits[hits.length - rule.limit] ?? now;
        retryAfterMs = Math.max(retryAfterMs, soonest - now);
      }
      remaining = Math.min(remaining, rule.limit - hits.length);
    });
    if (retryAfterMs > 0) return { allowed: false, remaining: 0, retryAfterMs };

    const leased = lease ? Math.min(leaseCap(rules, lease.slots), remaining - 1) : 0;
    const leaseMs = Math.max(0, Math.min(lease?.ms ?? 0, LEASE_MAX_MS));
    // One statement for every rule's row, one more for the leased slots (a few bound values
    // however many slots: a statement takes at most 100); one commit for the turn either way.
    const values = rules.map(() => "(?, ?, ?)").join(", ");
    const params = rules.flatMap((rule) => [rule.bucket, now, now + rule.windowMs]);
    this.sql().exec(`INSERT INTO hits (bucket, at, expires_at) VALUES ${values}`, ...params);
    if (leased > 0) {
      this.sql().exec(
        `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
         INSERT INTO hits (bucket, at, expires_at) SELECT column1, ?, column2 FROM n, (VALUES ${rules.map(() => "(?, ?)").join(", ")})`,
        leased,
        now,
        ...rules.flatMap((rule) => [rule.bucket, now + leaseMs + rule.windowMs]),
      );
    }
    rules.forEach((rule, i) => {
      insertSorted(windows[i]!, now + rule.windowMs);
      for (let n = 0; n < leased; n++) insertSorted(windows[i]!, now + leaseMs + rule.windowMs);
    });
    if (!this.alarmSet) await this.scheduleCleanup(now + leaseMs + Math.max(...rules.map((r) => r.windowMs)));
    const decision: LimitDecision = { allowed: true, remaining: Math.max(0, remaining - 1 - leased), retryAfterMs: 0 };
    if (leased > 0) Object.assign(decision, { leased, leaseUntil: now + leaseMs });
    return decision;
  }

  /** Reads a window without recording a hit. */
  async peek(rule: LimitRule, now = Date.now()): Promise<LimitDecision> {
    const remaining = Math.max(0, rule.limit - this.window(rule.bucket, now).length);
    return { allowed: remaining > 0, remaining, retryAfterMs: 0 };
  }

  /**
   * Gives back one hit recorded at `at` (a reservation that turned out not to count, such as
   * a login slot taken before the password check that then succeeded).
   */
  async release(bucket: string, at: number): Promise<void> {
    const gone = this.sql()
      .exec<{ e: number }>(
        "DELETE FROM hits WHERE rowid IN (SELECT rowid FROM hits WHERE bucket = ? AND at = ? LIMIT 1) RETURNING expires_at AS e",
        bucket,
        at,
      )
      .toArray()[0];
    const hits = this.windows.get(bucket);
    const i = gone && hits ? hits.indexOf(gone.e) : -1;
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
      await this.ctx.storage.deleteAll();
      // deleteAll drops the table too; the next hit on this instance creates it again.
      this.tableReady = false;
      return;
    }
    for (const [bucket, hits] of this.windows) {
      dropUpTo(hits, now);
      if (hits.length === 0) this.windows.delete(bucket);
    }
    await this.ctx.storage.setAlarm(Math.max(next, now + CLEANUP_EVERY_MS));
  }
}

/** Drops the hits that left their window at or before `edge` (the same edge the alarm's DELETE uses). */
function dropUpTo(hits: number[], edge: number): void {
  let expired = 0;
  while (expired < hits.length && hits[expired]! <= edge) expired++;
  if (expired > 0) hits.splice(0, expired);
}

/** Mostly in order (hits arrive in time order); leased slots and tests' explicit times may not be. */
function insertSorted(hits: number[], at: number): void {
  let i = hits.length;
  while (i > 0 && hits[i - 1]! > at) i--;
  hits.splice(i, 0, at);
}
