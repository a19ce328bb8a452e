import { getTableColumns, getTableName } from "drizzle-orm";
import { commandExecutions } from "../../../../lib/db/schema/index.ts";
import { log } from "../../../../lib/log.ts";
import type { Deferrer } from "../env.ts";

export type ExecutionRow = typeof commandExecutions.$inferInsert;

/**
 * The INSERT is written once per isolate from the drizzle schema (names, defaults, driver
 * mapping of each column), not rebuilt by drizzle's query builder per flush: building ~7
 * multi-row inserts of 12 columns was most of the audit's CPU in a profile of the router bench.
 *
 * A flush is one statement with one bound value, the rows as a JSON array of arrays read back
 * with `json_each` (`value ->> i` is column i: a JSON string stays TEXT, a number INTEGER, null
 * NULL): D1 allows 100 bound values per statement, so binding each value took one statement per
 * 8 rows, and each statement is a round of D1's own work. One statement per flush cut the
 * router bench's `!ping` by ~40 µs of CPU per command (README, hot path third pass).
 */
const COLUMNS = Object.entries(getTableColumns(commandExecutions));
const INSERT_SQL =
  `INSERT INTO "${getTableName(commandExecutions)}" (${COLUMNS.map(([, c]) => `"${c.name}"`).join(", ")}) ` +
  `SELECT ${COLUMNS.map((_, i) => `value ->> ${i}`).join(", ")} FROM json_each(?)`;

/** A row's values as D1 binds them, in column order: defaults applied, Dates and booleans mapped. */
function driverValues(row: ExecutionRow): unknown[] {
  return COLUMNS.map(([key, column]) => {
    let value = (row as Record<string, unknown>)[key];
    if (value === undefined) value = column.defaultFn ? column.defaultFn() : column.default;
    return value === undefined || value === null ? null : column.mapToDriverValue(value);
  });
}

const insertRows = (d1: D1Database, rows: ExecutionRow[]) =>
  d1.prepare(INSERT_SQL).bind(JSON.stringify(rows.map(driverValues)));

interface AuditBufferOptions {
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
    try {
      await insertRows(d1, rows).run();
    } catch (err) {
      log.warn("execution audit batch failed; writing its rows one by one", { rows: rows.length, error: err });
      await Promise.all(
        rows.map((row) =>
          insertRows(d1, [row])
            .run()
            .then(
              () => undefined,
              (error) => log.error("execution audit row lost", { row, error }),
            ),
        ),
      );
    }
  }
}
