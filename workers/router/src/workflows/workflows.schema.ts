import { z } from "@hono/zod-openapi";
import { createDb } from "../../../../lib/db/client.ts";
import { workflows } from "../../../../lib/db/schema/index.ts";
import { Conflict } from "../../../../lib/http/errors.ts";
import { CommunityParams } from "../api.ts";
import { Graph } from "./graph.ts";
import { sealGraph } from "./graph-secrets.ts";
import { requireCapacity, workflowCount } from "./licence.ts";
import { type AuditContext, auditWorkflow } from "./workflows.repo.ts";

export const WorkflowParams = CommunityParams.extend({ workflowId: z.uuid() });
const EMPTY_GRAPH = { nodes: [], edges: [] };

export const WorkflowSchema = z
  .object({
    id: z.string(),
    communityId: z.string(),
    name: z.string(),
    description: z.string(),
    status: z.enum(["draft", "published"]),
    version: z.number(),
    graph: Graph,
    triggerCommand: z.string().nullable(),
    triggerEvent: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi("Workflow");

export const WorkflowInput = z
  .object({
    name: z.string().trim().min(1).max(100),
    description: z.string().max(1000).default(""),
    graph: Graph.default(EMPTY_GRAPH),
  })
  .openapi("WorkflowInput");
export const WorkflowPatch = z
  .object({ name: z.string().trim().min(1).max(100), description: z.string().max(1000), graph: Graph })
  .partial()
  .openapi("WorkflowPatch");

/** Creates a draft; 402 past the free tier's one workflow without a valid pro licence. */
export async function createWorkflow(c: AuditContext, communityId: string, input: z.infer<typeof WorkflowInput>) {
  const db = createDb(c.env.DB);
  await requireCapacity(c.env, db, communityId, (await workflowCount(db, communityId)) + 1);
  const id = crypto.randomUUID();
  const graph = await sealGraph(c.env, id, input.graph, null);
  const row = await db
    .insert(workflows)
    .values({ id, communityId, name: input.name, description: input.description, graph })
    .returning()
    .get()
    .catch((err) => {
      if (String(err).includes("UNIQUE")) throw new Conflict(`A workflow named ${input.name} already exists`);
      throw err;
    });
  await auditWorkflow(c, communityId, "workflow.create", row.id, { to: { name: row.name } });
  return row;
}
