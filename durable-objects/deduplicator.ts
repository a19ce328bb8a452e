import { PingableObject } from "./base.ts";

/**
 * Remembers delivery ids (EventSub message ids, Slack event ids, relay ids) for a while, so
 * a platform's retry is acknowledged but processed once. Sharded by the caller (platform and
 * id prefix); entries expire by alarm, so storage stays small.
 */
export class Deduplicator extends PingableObject {
  constructor(ctx: DurableObjectState, env: unknown) {
    super(ctx, env);
    ctx.storage.sql.exec(
      "CREATE TABLE IF NOT EXISTS seen (id TEXT PRIMARY KEY, expires_at INTEGER NOT NULL); CREATE INDEX IF NOT EXISTS seen_expires ON seen(expires_at);",
    );
  }

  /** True the first time an id is offered within its ttl; false for every repeat. */
  async firstSeen(id: string, ttlMs: number, now = Date.now()): Promise<boolean> {
    const sql = this.ctx.storage.sql;
    sql.exec("DELETE FROM seen WHERE id = ? AND expires_at <= ?", id, now);
    const cursor = sql.exec("INSERT OR IGNORE INTO seen (id, expires_at) VALUES (?, ?)", id, now + ttlMs);
    const inserted = cursor.rowsWritten > 0;
    if (inserted && (await this.ctx.storage.getAlarm()) === null) {
      await this.ctx.storage.setAlarm(now + ttlMs);
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
    if (next === null) await this.ctx.storage.deleteAll();
    else await this.ctx.storage.setAlarm(next);
  }
}
