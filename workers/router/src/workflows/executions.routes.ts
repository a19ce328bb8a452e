import { z } from "@hono/zod-openapi";
import { and, asc, desc, eq, type SQL } from "drizzle-orm";
import { createDb } from "../../../../lib/db/client.ts";
import {
  WORKFLOW_EXECUTION_STATUSES,
  workflowExecutions,
  workflowNodeExecutions,
  workflowVersions,
} from "../../../../lib/db/schema/index.ts";
import { BadRequest, Conflict, NotFound } from "../../../../lib/http/errors.ts";
import { createApiApp, envelopeOf, errorResponses, jsonContent, ok } from "../../../../lib/http/openapi.ts";
import { CommunityParams, communityRoute, type RouteEnv } from "../api.ts";
import type { Graph } from "./graph.ts";
import { startExecution } from "./start.ts";
import type { ResumePoint } from "./types.ts";
import { auditWorkflow } from "./workflows.repo.ts";

const ExecutionParams = CommunityParams.extend({ executionId: z.uuid() });

const Execution = z
  .object({
    id: z.string(),
    workflowId: z.string(),
    version: z.number(),
    trigger: z.string(),
    status: z.enum(WORKFLOW_EXECUTION_STATUSES),
    input: z.unknown(),
    error: z.string().nullable(),
    retryOf: z.string().nullable(),
    startedAt: z.string(),
    finishedAt: z.string().nullable(),
  })
  .openapi("WorkflowExecution");
const NodeExecution = z
  .object({
    nodeId: z.string(),
    nodeType: z.string(),
    stepName: z.string(),
    status: z.string(),
    input: z.unknown(),
    output: z.unknown(),
    error: z.string().nullable(),
    startedAt: z.string(),
    finishedAt: z.string(),
  })
  .openapi("WorkflowNodeExecution");

type Row = typeof workflowExecutions.$inferSelect;
const toApi = (r: Row) => ({
  id: r.id,
  workflowId: r.workflowId,
  version: r.version,
  trigger: r.trigger,
  status: r.status,
  input: r.input,
  error: r.error,
  retryOf: r.retryOf,
  startedAt: r.startedAt.toISOString(),
  finishedAt: r.finishedAt?.toISOString() ?? null,
});

async function getExecution(db: ReturnType<typeof createDb>, communityId: string, executionId: string) {
  const row = await db
    .select()
    .from(workflowExecutions)
    .where(and(eq(workflowExecutions.id, executionId), eq(workflowExecutions.communityId, communityId)))
    .get();
  if (!row) throw new NotFound("No such execution");
  return row;
}

/** Admin API: executions of a community's workflows, with node-level traces. */
export const workflowExecutionsRoutes = createApiApp<RouteEnv>();

workflowExecutionsRoutes.openapi(
  communityRoute({
    method: "get",
    path: "/{communityId}/workflow-executions",
    tags: ["workflows"],
    summary: "Executions, newest first, filtered by workflow, status and trigger",
    permission: "workflows:read",
    request: {
      params: CommunityParams,
      query: z.object({
        workflowId: z.uuid().optional(),
        status: z.enum(WORKFLOW_EXECUTION_STATUSES).optional(),
        trigger: z.enum(["command", "event", "webhook", "schedule", "manual"]).optional(),
        limit: z.coerce.number().int().min(1).max(200).default(50),
      }),
    },
    responses: {
      200: { description: "Executions", ...jsonContent(envelopeOf(z.array(Execution))) },
      ...errorResponses(400, 401, 403, 404),
    },
  }),
  async (c) => {
    const { communityId } = c.req.valid("param");
    const q = c.req.valid("query");
    const where: SQL[] = [eq(workflowExecutions.communityId, communityId)];
    if (q.workflowId) where.push(eq(workflowExecutions.workflowId, q.workflowId));
    if (q.status) where.push(eq(workflowExecutions.status, q.status));
    if (q.trigger) where.push(eq(workflowExecutions.trigger, q.trigger));
    const rows = await createDb(c.env.DB)
      .select()
      .from(workflowExecutions)
      .where(and(...where))
      .orderBy(desc(workflowExecutions.startedAt))
      .limit(q.limit);
    return ok(c, rows.map(toApi));
  },
);

workflowExecutionsRoutes.openapi(
  communityRoute({
    method: "get",
    path: "/{communityId}/workflow-executions/{executionId}",
    tags: ["workflows"],
    summary: "One execution with every node's status, inputs, outputs and timings",
    permission: "workflows:read",
    request: { params: ExecutionParams },
    responses: {
      200: {
        description: "Execution",
        ...jsonContent(envelopeOf(Execution.extend({ nodes: z.array(NodeExecution) }))),
      },
      ...errorResponses(400, 401, 403, 404),
    },
  }),
  async (c) => {
    const { communityId, executionId } = c.req.valid("param");
    const db = createDb(c.env.DB);
    const row = await getExecution(db, communityId, executionId);
    const nodes = await db
      .select()
      .from(workflowNodeExecutions)
      .where(eq(workflowNodeExecutions.executionId, executionId))
      .orderBy(asc(workflowNodeExecutions.startedAt));
    return ok(c, {
      ...toApi(row),
      nodes: nodes.map((n) => ({
        nodeId: n.nodeId,
        nodeType: n.nodeType,
        stepName: n.stepName,
        status: n.status,
        input: n.input,
        output: n.output,
        error: n.error,
        startedAt: n.startedAt.toISOString(),
        finishedAt: n.finishedAt.toISOString(),
      })),
    });
  },
);

workflowExecutionsRoutes.openapi(
  communityRoute({
    method: "post",
    path: "/{communityId}/workflow-executions/{executionId}/cancel",
    tags: ["workflows"],
    summary: "Cancel a queued or running execution",
    permission: "workflows:execute",
    request: { params: ExecutionParams },
    responses: {
      200: { description: "Cancelled", ...jsonContent(envelopeOf(Execution)) },
      ...errorResponses(400, 401, 403, 404, 409),
    },
  }),
  async (c) => {
    const { communityId, executionId } = c.req.valid("param");
    const db = createDb(c.env.DB);
    const row = await getExecution(db, communityId, executionId);
    if (row.status !== "queued" && row.status !== "running") throw new Conflict(`The execution is ${row.status}`);
    await (await c.env.WORKFLOW_RUNNER.get(row.instanceId)).terminate().catch(() => {});
    await db
      .update(workflowExecutions)
      .set({ status: "cancelled", finishedAt: new Date() })
      .where(eq(workflowExecutions.id, executionId));
    await auditWorkflow(c, communityId, "workflow.execution.cancel", row.workflowId, {
      executionId,
      from: row.status,
      to: "cancelled",
    });
    return ok(c, toApi(await getExecution(db, communityId, executionId)), "Cancelled");
  },
);

workflowExecutionsRoutes.openapi(
  communityRoute({
    method: "post",
    path: "/{communityId}/workflow-executions/{executionId}/retry",
    tags: ["workflows"],
    summary: "Retry a failed execution from its failed node (same version, variables as they were there)",
    permission: "workflows:execute",
    request: { params: ExecutionParams },
    responses: {
      202: {
        description: "Started",
        ...jsonContent(envelopeOf(z.object({ executionId: z.string(), instanceId: z.string() }))),
      },
      ...errorResponses(400, 401, 403, 404, 409),
    },
  }),
  async (c) => {
    const { communityId, executionId } = c.req.valid("param");
    const db = createDb(c.env.DB);
    const row = await getExecution(db, communityId, executionId);
    if (row.status !== "failed") throw new Conflict("Only a failed execution can be retried");
    const failed = await db
      .select()
      .from(workflowNodeExecutions)
      .where(and(eq(workflowNodeExecutions.executionId, executionId), eq(workflowNodeExecutions.status, "failed")))
      .orderBy(desc(workflowNodeExecutions.finishedAt))
      .get();
    const version = await db
      .select({ graph: workflowVersions.graph })
      .from(workflowVersions)
      .where(and(eq(workflowVersions.workflowId, row.workflowId), eq(workflowVersions.version, row.version)))
      .get();
    if (!failed || !version) throw new BadRequest("This execution has no failed node to resume from");
    const saved = (failed.input as { resume?: Omit<ResumePoint, "nodeId"> } | null)?.resume;
    const started = await startExecution(c.env, {
      communityId,
      workflowId: row.workflowId,
      version: row.version,
      graph: version.graph as Graph,
      trigger: { kind: row.trigger, data: row.input ?? {} },
      resume: { nodeId: failed.nodeId, vars: saved?.vars ?? {}, local: saved?.local ?? {}, nodes: saved?.nodes ?? {} },
      retryOf: executionId,
    });
    await auditWorkflow(c, communityId, "workflow.execution.retry", row.workflowId, {
      executionId,
      from: failed.nodeId,
      to: started.executionId,
    });
    return ok(c, started, "Retrying from the failed node", 202);
  },
);
