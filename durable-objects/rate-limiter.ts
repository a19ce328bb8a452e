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
 * A sliding-window log rate limiter. One object per key (community+user+command, account,
 * IP ...), so no single object is hot; the log lives in the object's SQLite storage, so a
 * window survives eviction and deploys (an isolate-memory limiter resets on every deploy).
 */
export class RateLimiter extends PingableObject {
  constructor(ctx: DurableObjectState, env: unknown) {
    super(ctx, env);
    ctx.storage.sql.exec(
      "CREATE TABLE IF NOT EXISTS hits (bucket TEXT NOT NULL, at INTEGER NOT NULL, expires_at INTEGER NOT NULL); CREATE INDEX IF NOT EXISTS hits_bucket_at ON hits(bucket, at);",
    );
  }

  /** Records a hit if every rule allows it; otherwise records nothing and says when to retry. */
  async hit(rules: LimitRule[], now = Date.now()): Promise<LimitDecision> {
    const sql = this.ctx.storage.sql;
    let remaining = Number.POSITIVE_INFINITY;
    let retryAfterMs = 0;
    for (const rule of rules) {
      sql.exec("DELETE FROM hits WHERE bucket = ? AND at <= ?", rule.bucket, now - rule.windowMs);
      const rows = sql
        .exec<{ at: number }>("SELECT at FROM hits WHERE bucket = ? ORDER BY at ASC", rule.bucket)
        .toArray();
      if (rows.length >= rule.limit) {
        // The window frees a slot when the oldest hit that keeps it full falls out of it.
        const oldest = rows[rows.length - rule.limit]?.at ?? now;
        retryAfterMs = Math.max(retryAfterMs, oldest + rule.windowMs - now);
      }
      remaining = Math.min(remaining, rule.limit - rows.length);
    }
    if (retryAfterMs > 0) return { allowed: false, remaining: 0, retryAfterMs };
    for (const rule of rules) {
      sql.exec("INSERT INTO hits (bucket, at, expires_at) VALUES (?, ?, ?)", rule.bucket, now, now + rule.windowMs);
    }
    await this.scheduleCleanup(now + Math.max(...rules.map((r) => r.windowMs)));
    return { allowed: true, remaining: Math.max(0, remaining - 1), retryAfterMs: 0 };
  }

  /** Reads a window without recording a hit. */
  async peek(rule: LimitRule, now = Date.now()): Promise<LimitDecision> {
    const row = this.ctx.storage.sql
      .exec<{ n: number }>(
        "SELECT count(*) AS n FROM hits WHERE bucket = ? AND at > ?",
        rule.bucket,
        now - rule.windowMs,
      )
      .one();
    const remaining = Math.max(0, rule.limit - row.n);
    return { allowed: remaining > 0, remaining, retryAfterMs: 0 };
  }

  /** Forgets a bucket (an admin clearing a cooldown). */
  async reset(bucket: string): Promise<void> {
    this.ctx.storage.sql.exec("DELETE FROM hits WHERE bucket = ?", bucket);
  }

  /**
   * Sets the cleanup alarm only when none is pending: alarm() reschedules itself for the next
   * expiry, so moving the alarm on every hit (a storage write each time) buys nothing.
   */
  private alarmSet = false;
  private async scheduleCleanup(at: number): Promise<void> {
    if (this.alarmSet) return;
    if ((await this.ctx.storage.getAlarm()) === null) await this.ctx.storage.setAlarm(at);
    this.alarmSet = true;
  }

  /** Drops hits whose window has passed; when none are left the storage goes: an idle key costs nothing. */
  override async alarm(): Promise<void> {
    const sql = this.ctx.storage.sql;
    sql.exec("DELETE FROM hits WHERE expires_at <= ?", Date.now());
    const next = sql.exec<{ at: number | null }>("SELECT min(expires_at) AS at FROM hits").one().at;
    this.alarmSet = next !== null;
    if (next === null) await this.ctx.storage.deleteAll();
    else await this.ctx.storage.setAlarm(next);
  }
}
