/**
 * Helpers for the workflow tests: graphs written as short lists, published straight into D1,
 * started through the real Workflows binding, and awaited by their execution row.
 */
import { env } from "cloudflare:workers";
import { and, asc, eq } from "drizzle-orm";
import { createDb } from "../../../../lib/db/client.ts";
import {
  workflowExecutions,
  workflowNodeExecutions,
  workflows,
  workflowVersions,
} from "../../../../lib/db/schema/index.ts";
import type { Graph } from "../../src/workflows/graph.ts";
import { startExecution } from "../../src/workflows/start.ts";
import type { TriggerKind } from "../../src/workflows/types.ts";

const db = () => createDb(env.DB);

type N = [id: string, type: string, config?: Record<string, unknown>];
type E = [source: string, target: string, port?: string];

/** A graph from [id, type, config] nodes and [source, target, port] edges; nodes stacked top to bottom. */
export function graph(nodes: N[], edges: E[]): Graph {
  return {
    nodes: nodes.map(([id, type, config], i) => ({ id, type, config: config ?? {}, position: { x: 0, y: i * 100 } })),
    edges: edges.map(([source, target, port], i) => ({ id: `e${i}`, source, target, sourcePort: port ?? "out" })),
  };
}

/** A published workflow (version 1 = this graph), written straight to D1. */
export async function publishedWorkflow(
  communityId: string,
  g: Graph,
  over: Partial<typeof workflows.$inferInsert> = {},
) {
  const id = crypto.randomUUID();
  await db()
    .insert(workflows)
    .values({ id, communityId, name: `wf-${id.slice(0, 8)}`, status: "published", version: 1, graph: g, ...over });
  await db().insert(workflowVersions).values({ workflowId: id, version: 1, graph: g });
  return id;
}

/** Waits until an execution is finished (completed, failed or cancelled) and returns it. */
export async function waitForExecution(executionId: string, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const row = await db().select().from(workflowExecutions).where(eq(workflowExecutions.id, executionId)).get();
    if (row && ["completed", "failed", "cancelled"].includes(row.status)) return row;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`execution ${executionId} did not finish within ${timeoutMs} ms`);
}

/** The node executions of a run, in the order they finished. */
export async function nodeRuns(executionId: string) {
  return db()
    .select()
    .from(workflowNodeExecutions)
    .where(eq(workflowNodeExecutions.executionId, executionId))
    .orderBy(asc(workflowNodeExecutions.finishedAt), asc(workflowNodeExecutions.startedAt));
}

/** Output of the (first) run of a node. */
export async function outputOf(executionId: string, nodeId: string) {
  const row = await db()
    .select()
    .from(workflowNodeExecutions)
    .where(and(eq(workflowNodeExecutions.executionId, executionId), eq(workflowNodeExecutions.nodeId, nodeId)))
    .get();
  return row?.output;
}

/** Runs a graph once for real (published, started through the binding) and waits for the end. */
export async function run(
  communityId: string,
  g: Graph,
  trigger: { kind: TriggerKind; data: Record<string, unknown> } = { kind: "manual", data: {} },
) {
  const workflowId = await publishedWorkflow(communityId, g);
  const started = await startExecution(env, { communityId, workflowId, version: 1, graph: g, trigger });
  const execution = await waitForExecution(started.executionId);
  return {
    workflowId,
    execution,
    nodes: await nodeRuns(started.executionId),
    out: (id: string) => outputOf(started.executionId, id),
  };
}
