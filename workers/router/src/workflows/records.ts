import { and, eq, inArray, sql } from "drizzle-orm";
import { createDb } from "../../../../lib/db/client.ts";
import { workflowExecutions, workflowNodeExecutions, workflowVariables } from "../../../../lib/db/schema/index.ts";

type Status = (typeof workflowExecutions.$inferSelect)["status"];

/** Records written from inside steps: idempotent, since a step may run more than once. */
export async function setExecutionStatus(d1: D1Database, executionId: string, status: Status, error?: string) {
  const done = status === "completed" || status === "failed" || status === "cancelled";
  await createDb(d1)
    .update(workflowExecutions)
    .set({ status, error: error ?? null, ...(done ? { finishedAt: new Date() } : {}) })
    // A cancelled execution stays cancelled, whatever a step still running writes.
    .where(
      and(eq(workflowExecutions.id, executionId), inArray(workflowExecutions.status, ["queued", "running", "failed"])),
    );
}

interface NodeRecord {
  executionId: string;
  nodeId: string;
  nodeType: string;
  stepName: string;
  status: "completed" | "failed" | "skipped";
  input: unknown;
  output: unknown;
  error?: string;
  startedAt: number;
}

/** One node execution, keyed by (execution, step name): a retried step overwrites its own row. */
export async function recordNode(d1: D1Database, r: NodeRecord) {
  const values = {
    executionId: r.executionId,
    nodeId: r.nodeId,
    nodeType: r.nodeType,
    stepName: r.stepName,
    status: r.status,
    input: r.input ?? null,
    output: r.output ?? null,
    error: r.error ?? null,
    startedAt: new Date(r.startedAt),
    finishedAt: new Date(),
  };
  await createDb(d1)
    .insert(workflowNodeExecutions)
    .values(values)
    .onConflictDoUpdate({
      target: [workflowNodeExecutions.executionId, workflowNodeExecutions.stepName],
      set: {
        status: values.status,
        input: values.input,
        output: values.output,
        error: values.error,
        finishedAt: values.finishedAt,
      },
    });
}

/** A community's global workflow variable (undefined when unset). */
export async function getGlobal(d1: D1Database, communityId: string, name: string): Promise<unknown> {
  const row = await createDb(d1)
    .select({ value: workflowVariables.value })
    .from(workflowVariables)
    .where(and(eq(workflowVariables.communityId, communityId), eq(workflowVariables.name, name)))
    .get();
  return row ? row.value : undefined;
}

export async function setGlobal(d1: D1Database, communityId: string, name: string, value: unknown) {
  await createDb(d1)
    .insert(workflowVariables)
    .values({ communityId, name, value })
    .onConflictDoUpdate({
      target: [workflowVariables.communityId, workflowVariables.name],
      set: { value, updatedAt: sql`(unixepoch() * 1000)` },
    });
}
