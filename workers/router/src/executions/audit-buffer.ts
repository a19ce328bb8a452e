import { getTableColumns } from "drizzle-orm";
import { createDb } from "../../../../lib/db/client.ts";
import { commandExecutions } from "../../../../lib/db/schema/index.ts";
import { log } from "../../../../lib/log.ts";
import type { Deferrer } from "../env.ts";

export type ExecutionRow = typeof commandExecutions.$inferInsert;

/**
 * D1 allows 100 bound parameters per statement; a row binds one per column, so a multi-row
 * INSERT holds at most this many rows (https://developers.cloudflare.com/d1/platform/limits/).
 */
export const ROWS_PER_STATEMENT = Math.floor(100 / Object.keys(getTableColumns(commandExecutions)).length);

export interface AuditBufferOptions {
  /** Flush as soon as this many rows wait. */
  maxRows: number;
  /** Flush at most this long after the first row that is waiting. */
  maxWaitMs: number;
}

/**
 * Execution audit rows, buffered per isolate and written in one D1 batch (one transaction:
 * one commit for many rows) instead of one write per command. Every D1 write is a durable
 * commit on one database; a write per chat command was what capped the router's throughput.
 *
 * No row is dropped silently: a row arms a timer (kept alive with waitUntil, so the isolate
 * stays until the flush) or triggers a flush itself; a batch that fails is retried row by
 * row so one bad row cannot take the others with it, and a row that still fails is logged
 * with its content.
 */
export class ExecutionAuditBuffer {
  private rows: ExecutionRow[] = [];
  private timerArmed = false;

  constructor(private readonly options: AuditBufferOptions) {}

  /** Rows waiting for a flush (for tests and /metrics-style introspection). */
  get pending(): number {
    return this.rows.length;
  }

  /** Queues a row; the flush that writes it is handed to `ctx.waitUntil`. */
  add(d1: D1Database, ctx: Deferrer, row: ExecutionRow): void {
    this.rows.push(row);
    if (this.rows.length >= this.options.maxRows) {
      ctx.waitUntil(this.flush(d1));
    } else if (!this.timerArmed) {
      // Rows that arrive before the timer fires ride on it: at most one timer is pending.
      this.timerArmed = true;
      ctx.waitUntil(
        new Promise((resolve) => setTimeout(resolve, this.options.maxWaitMs)).then(() => {
          this.timerArmed = false;
          return this.flush(d1);
        }),
      );
    }
  }

  /** Writes every waiting row; never rejects (failures are logged). */
  async flush(d1: D1Database): Promise<void> {
    const rows = this.rows.splice(0);
    if (rows.length === 0) return;
    const db = createDb(d1);
    const statements = [];
    for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) {
      statements.push(db.insert(commandExecutions).values(rows.slice(i, i + ROWS_PER_STATEMENT)));
    }
    try {
      await db.batch(statements as [(typeof statements)[number], ...typeof statements]);
    } catch (err) {
      log.warn("execution audit batch failed; writing its rows one by one", { rows: rows.length, error: err });
      await Promise.all(
        rows.map((row) =>
          db
            .insert(commandExecutions)
            .values(row)
            .then(
              () => undefined,
              (error) => log.error("execution audit row lost", { row, error }),
            ),
        ),
      );
    }
  }
}
