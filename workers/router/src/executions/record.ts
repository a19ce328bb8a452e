import type { commandExecutions } from "../../../../lib/db/schema/index.ts";
import type { Deferrer, Env } from "../env.ts";
import { metrics } from "../metrics.ts";
import { ExecutionAuditBuffer } from "./audit-buffer.ts";

/** `simulated` is required (the column has a default): every caller says which kind of run it was. */
type ExecutionRecord = Omit<typeof commandExecutions.$inferInsert, "id" | "createdAt" | "simulated"> & {
  simulated: boolean;
};

/**
 * One buffer per isolate. 50 rows or 200 ms, whichever comes first: under load a flush
 * carries ~50 rows (one D1 commit instead of 50); a quiet community's row is visible in the
 * executions API within a fifth of a second.
 */
const executionAudit = new ExecutionAuditBuffer({ maxRows: 250, maxWaitMs: 200 });

/**
 * Audits one execution after the reply has gone: the row is stamped now (id, time) and
 * written by the next batched flush (waitUntil). The caller never waits for the write, and a
 * failed write is logged, never surfaced.
 */
export function recordExecution(env: Env, ctx: Deferrer, record: ExecutionRecord): void {
  // /metrics describes real traffic; a simulated run is only in the (marked) executions row.
  if (!record.simulated) {
    metrics.command(record.status);
    if (record.status !== "denied" && record.status !== "rate_limited")
      metrics.engine(record.engine, record.durationMs);
  }
  executionAudit.add(env.DB, ctx, {
    ...record,
    id: crypto.randomUUID(),
    error: record.error?.slice(0, 500) ?? null,
    createdAt: new Date(),
  });
}
