import { PingableObject } from "./base.ts";

const SCHEMA =
  "CREATE TABLE IF NOT EXISTS seen (id TEXT PRIMARY KEY, expires_at INTEGER NOT NULL); CREATE INDEX IF NOT EXISTS seen_expires ON seen(expires_at);";

/**
 * Remembers delivery ids (EventSub message ids, Slack event ids, relay ids) for a while, so
 * a platform's retry is acknowledged but processed once. Sharded by the caller (platform and
 * id prefix); entries expire by alarm, so storage stays small.
 */
export class Deduplicator extends PingableObject {
  /** Whether a cleanup alarm is known to be pending (asked once per object start, not per id). */
  private alarmSet = false;

  constructor(ctx: DurableObjectState, env: unknown) {
    super(ctx, env);
    ctx.storage.sql.exec(SCHEMA);
  }

  /** True the first time an id is offered within its ttl; false for every repeat. */
  async firstSeen(id: string, ttlMs: number, now = Date.now()): Promise<boolean> {
    // One statement: a new id is inserted, an expired one taken again, a live one left alone.
    const cursor = this.ctx.storage.sql.exec(
      "INSERT INTO seen (id, expires_at) VALUES (?, ?) ON CONFLICT(id) DO UPDATE SET expires_at = excluded.expires_at WHERE seen.expires_at <= ?",
      id,
      now + ttlMs,
      now,
    );
    const inserted = cursor.rowsWritten > 0;
    // The alarm is asked for once per object start, not per delivery (alarm() keeps it set).
    if (inserted && !this.alarmSet) {
      if ((await this.ctx.storage.getAlarm()) === null) await this.ctx.storage.setAlarm(now + ttlMs);
      this.alarmSet = true;
    }
    return inserted;
  }

  /** Forgets an id, so a delivery whose processing failed can be retried by the platform. */
  async forget(id: string): Promise<void> {
    this.ctx.storage.sql.exec("DELETE FROM seen WHERE id = ?", id);
  }

  override async alarm(): Promise<void> {
    const sql = this.ctx.storage.sql;
    sql.exec("DELETE FROM seen WHERE expires_at <= ?", Date.now());
    const next = sql.exec<{ at: number | null }>("SELECT min(expires_at) AS at FROM seen").one().at;
    if (next === null) {
      await this.ctx.storage.deleteAll();
      // deleteAll drops the table too: make it again for the ids that come next.
      sql.exec(SCHEMA);
      this.alarmSet = false;
    } else await this.ctx.storage.setAlarm(next);
  }
}
