import { z } from "@hono/zod-openapi";
import { eq } from "drizzle-orm";
import { createDb } from "../../../../lib/db/client.ts";
import { workflows } from "../../../../lib/db/schema/index.ts";
import { BadRequest, Conflict } from "../../../../lib/http/errors.ts";
import { createApiApp, envelopeOf, errorResponses, jsonContent, ok } from "../../../../lib/http/openapi.ts";
import { CommunityParams, communityRoute, type RouteEnv } from "../api.ts";
import { Graph, ValidationIssue } from "./graph.ts";
import { sealGraph } from "./graph-secrets.ts";
import { publishWorkflow, schedulerOf } from "./publish.ts";
import { invalidateWorkflowTriggers } from "./routing.ts";
import { startPublished } from "./start.ts";
import { validateGraph } from "./validate.ts";
import { auditWorkflow, getWorkflow, listWorkflows, toApi, validationContext } from "./workflows.repo.ts";
import { createWorkflow, WorkflowInput, WorkflowParams, WorkflowPatch, WorkflowSchema } from "./workflows.schema.ts";

/** Admin API: a community's workflows (drafts are edited freely; publishing snapshots a version). */
export const workflowsRoutes = createApiApp<RouteEnv>();

workflowsRoutes.openapi(
  communityRoute({
    method: "get",
    path: "/{communityId}/workflows",
    tags: ["workflows"],
    summary: "The community's workflows",
    permission: "workflows:read",
    request: { params: CommunityParams },
    responses: {
      200: { description: "Workflows", ...jsonContent(envelopeOf(z.array(WorkflowSchema))) },
      ...errorResponses(400, 401, 403, 404),
    },
  }),
  async (c) => ok(c, (await listWorkflows(createDb(c.env.DB), c.req.valid("param").communityId)).map(toApi)),
);

workflowsRoutes.openapi(
  communityRoute({
    method: "post",
    path: "/{communityId}/workflows",
    tags: ["workflows"],
    summary: "Create a draft workflow (402 over the licence tier's limit)",
    permission: "workflows:write",
    request: { params: CommunityParams, body: { required: true, ...jsonContent(WorkflowInput) } },
    responses: {
      201: { description: "Created", ...jsonContent(envelopeOf(WorkflowSchema)) },
      ...errorResponses(400, 401, 402, 403, 404, 409),
    },
  }),
  async (c) => {
    const row = await createWorkflow(c, c.req.valid("param").communityId, c.req.valid("json"));
    return ok(c, toApi(row), "Workflow created", 201);
  },
);

workflowsRoutes.openapi(
  communityRoute({
    method: "post",
    path: "/{communityId}/workflows/validate",
    tags: ["workflows"],
    summary: "Validate a graph (the same rules as publishing); every issue names its node",
    permission: "workflows:read",
    request: { params: CommunityParams, body: { required: true, ...jsonContent(z.object({ graph: Graph })) } },
    responses: {
      200: {
        description: "Issues (empty when valid)",
        ...jsonContent(envelopeOf(z.object({ valid: z.boolean(), issues: z.array(ValidationIssue) }))),
      },
      ...errorResponses(400, 401, 403, 404),
    },
  }),
  async (c) => {
    const { communityId } = c.req.valid("param");
    const db = createDb(c.env.DB);
    const { issues } = validateGraph(c.req.valid("json").graph, await validationContext(c.env, db, communityId));
    return ok(c, { valid: issues.length === 0, issues }, issues.length ? "Not valid" : "Valid");
  },
);

workflowsRoutes.openapi(
  communityRoute({
    method: "get",
    path: "/{communityId}/workflows/{workflowId}",
    tags: ["workflows"],
    summary: "One workflow with its draft graph",
    permission: "workflows:read",
    request: { params: WorkflowParams },
    responses: {
      200: { description: "Workflow", ...jsonContent(envelopeOf(WorkflowSchema)) },
      ...errorResponses(400, 401, 403, 404),
    },
  }),
  async (c) => {
    const { communityId, workflowId } = c.req.valid("param");
    return ok(c, toApi(await getWorkflow(createDb(c.env.DB), communityId, workflowId)));
  },
);

workflowsRoutes.openapi(
  communityRoute({
    method: "patch",
    path: "/{communityId}/workflows/{workflowId}",
    tags: ["workflows"],
    summary: "Save the draft (name, description, graph); the published version runs on unchanged",
    permission: "workflows:write",
    request: { params: WorkflowParams, body: { required: true, ...jsonContent(WorkflowPatch) } },
    responses: {
      200: { description: "Saved", ...jsonContent(envelopeOf(WorkflowSchema)) },
      ...errorResponses(400, 401, 403, 404, 409),
    },
  }),
  async (c) => {
    const { communityId, workflowId } = c.req.valid("param");
    const db = createDb(c.env.DB);
    const before = await getWorkflow(db, communityId, workflowId);
    const input = c.req.valid("json");
    // Header values sealed; a masked one keeps the stored draft's value.
    const patch = input.graph
      ? { ...input, graph: await sealGraph(c.env, workflowId, input.graph, before.graph as Graph) }
      : input;
    const row = await db
      .update(workflows)
      .set(patch)
      .where(eq(workflows.id, workflowId))
      .returning()
      .get()
      .catch((err) => {
        if (String(err).includes("UNIQUE")) throw new Conflict(`A workflow named ${patch.name} already exists`);
        throw err;
      });
    await auditWorkflow(c, communityId, "workflow.update", workflowId, {
      from: { name: before.name, nodes: before.graph.nodes.length },
      to: { name: row.name, nodes: row.graph.nodes.length },
    });
    return ok(c, toApi(row), "Draft saved");
  },
);

workflowsRoutes.openapi(
  communityRoute({
    method: "delete",
    path: "/{communityId}/workflows/{workflowId}",
    tags: ["workflows"],
    summary: "Delete a workflow, its versions, schedule, webhooks and executions",
    permission: "workflows:write",
    request: { params: WorkflowParams },
    responses: {
      200: { description: "Deleted", ...jsonContent(envelopeOf(z.null())) },
      ...errorResponses(400, 401, 403, 404),
    },
  }),
  async (c) => {
    const { communityId, workflowId } = c.req.valid("param");
    const db = createDb(c.env.DB);
    const before = await getWorkflow(db, communityId, workflowId);
    await db.delete(workflows).where(eq(workflows.id, workflowId));
    await schedulerOf(c.env, communityId).setSchedule(communityId, workflowId, null);
    invalidateWorkflowTriggers(communityId);
    await auditWorkflow(c, communityId, "workflow.delete", workflowId, {
      from: { name: before.name, version: before.version },
    });
    return ok(c, null, "Workflow deleted");
  },
);

workflowsRoutes.openapi(
  communityRoute({
    method: "post",
    path: "/{communityId}/workflows/{workflowId}/publish",
    tags: ["workflows"],
    summary: "Publish the draft as a new immutable version (400 invalid, 402 licence, 409 command taken)",
    permission: "workflows:publish",
    request: { params: WorkflowParams },
    responses: {
      200: {
        description: "Published",
        ...jsonContent(envelopeOf(WorkflowSchema.extend({ nextRunAt: z.string().nullable() }))),
      },
      ...errorResponses(400, 401, 402, 403, 404, 409),
    },
  }),
  async (c) => {
    const { communityId, workflowId } = c.req.valid("param");
    const db = createDb(c.env.DB);
    const wf = await getWorkflow(db, communityId, workflowId);
    const published = await publishWorkflow(c.env, db, wf, c.get("principal").userId);
    await auditWorkflow(c, communityId, "workflow.publish", workflowId, {
      from: { version: wf.version },
      to: { version: published.version },
    });
    return ok(
      c,
      { ...toApi(await getWorkflow(db, communityId, workflowId)), nextRunAt: published.nextRunAt },
      `Version ${published.version} published`,
    );
  },
);

workflowsRoutes.openapi(
  communityRoute({
    method: "post",
    path: "/{communityId}/workflows/{workflowId}/execute",
    tags: ["workflows"],
    summary: "Run the published version now (trigger data in `data`)",
    permission: "workflows:execute",
    request: {
      params: WorkflowParams,
      body: { required: false, ...jsonContent(z.object({ data: z.record(z.string(), z.unknown()).default({}) })) },
    },
    responses: {
      202: {
        description: "Started",
        ...jsonContent(envelopeOf(z.object({ executionId: z.string(), instanceId: z.string() }))),
      },
      ...errorResponses(400, 401, 403, 404),
    },
  }),
  async (c) => {
    const { communityId, workflowId } = c.req.valid("param");
    await getWorkflow(createDb(c.env.DB), communityId, workflowId);
    const body = (c.req.valid("json") as { data?: Record<string, unknown> } | undefined) ?? {};
    const started = await startPublished(c.env, communityId, workflowId, { kind: "manual", data: body.data ?? {} });
    if (!started) throw new BadRequest("Publish the workflow before running it");
    await auditWorkflow(c, communityId, "workflow.execute", workflowId, { executionId: started.executionId });
    return ok(c, started, "Started", 202);
  },
);
