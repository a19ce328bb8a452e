import { createDb } from "../../../../lib/db/client.ts";
import { commandExecutions } from "../../../../lib/db/schema/index.ts";
import { log } from "../../../../lib/log.ts";
import type { Deferrer, Env } from "../env.ts";
import { metrics } from "../metrics.ts";

export type ExecutionRecord = Omit<typeof commandExecutions.$inferInsert, "id" | "createdAt">;

/**
 * Audits one execution after the reply has gone (waitUntil): the caller never waits for the
 * write, and a failed write is logged, never surfaced.
 */
export function recordExecution(env: Env, ctx: Deferrer, record: ExecutionRecord): void {
  metrics.command(record.status);
  if (record.status !== "denied" && record.status !== "rate_limited") metrics.engine(record.engine, record.durationMs);
  ctx.waitUntil(
    createDb(env.DB)
      .insert(commandExecutions)
      .values({ ...record, error: record.error?.slice(0, 500) ?? null })
      .then(
        () => undefined,
        (err) => log.error("execution audit write failed", { communityId: record.communityId, error: err }),
      ),
  );
}
