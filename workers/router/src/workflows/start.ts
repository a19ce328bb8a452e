import { and, desc, eq } from "drizzle-orm";
import { createDb } from "../../../../lib/db/client.ts";
import { workflowExecutions, workflows, workflowVersions } from "../../../../lib/db/schema/index.ts";
import type { Env } from "../env.ts";
import type { Graph } from "./graph.ts";
import type { ResumePoint, RunParams, TriggerKind } from "./types.ts";

interface Started {
  executionId: string;
  instanceId: string;
}

/** The published snapshot a new run uses (null when the workflow is not published). */
async function publishedSnapshot(env: Pick<Env, "DB">, communityId: string, workflowId: string) {
  const db = createDb(env.DB);
  const wf = await db
    .select({ id: workflows.id, status: workflows.status, version: workflows.version })
    .from(workflows)
    .where(and(eq(workflows.id, workflowId), eq(workflows.communityId, communityId)))
    .get();
  if (wf?.status !== "published") return null;
  const v = await db
    .select({ version: workflowVersions.version, graph: workflowVersions.graph })
    .from(workflowVersions)
    .where(eq(workflowVersions.workflowId, workflowId))
    .orderBy(desc(workflowVersions.version))
    .get();
  return v ? { version: v.version, graph: v.graph as Graph } : null;
}

/**
 * Starts one execution of a published version: the execution row first (so the run's steps
 * only update it), then the Workflows instance with the snapshot in its params.
 */
export async function startExecution(
  env: Pick<Env, "DB" | "WORKFLOW_RUNNER">,
  run: {
    communityId: string;
    workflowId: string;
    version: number;
    graph: Graph;
    trigger: { kind: TriggerKind; data: Record<string, unknown> };
    resume?: ResumePoint;
    retryOf?: string;
  },
): Promise<Started> {
  const executionId = crypto.randomUUID();
  const instanceId = executionId;
  await createDb(env.DB)
    .insert(workflowExecutions)
    .values({
      id: executionId,
      workflowId: run.workflowId,
      communityId: run.communityId,
      version: run.version,
      instanceId,
      trigger: run.trigger.kind,
      status: "queued",
      input: run.trigger.data,
      retryOf: run.retryOf ?? null,
    });
  const params: RunParams = {
    executionId,
    communityId: run.communityId,
    workflowId: run.workflowId,
    version: run.version,
    graph: run.graph,
    trigger: run.trigger,
    ...(run.resume ? { resume: run.resume } : {}),
  };
  await env.WORKFLOW_RUNNER.create({ id: instanceId, params });
  return { executionId, instanceId };
}

/** Starts the published version of a workflow, if there is one. */
export async function startPublished(
  env: Pick<Env, "DB" | "WORKFLOW_RUNNER">,
  communityId: string,
  workflowId: string,
  trigger: { kind: TriggerKind; data: Record<string, unknown> },
): Promise<Started | null> {
  const snap = await publishedSnapshot(env, communityId, workflowId);
  if (!snap) return null;
  return startExecution(env, { communityId, workflowId, ...snap, trigger });
}
