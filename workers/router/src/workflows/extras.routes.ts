import { z } from "@hono/zod-openapi";
import { eq } from "drizzle-orm";
import { createDb } from "../../../../lib/db/client.ts";
import { workflowLicences } from "../../../../lib/db/schema/index.ts";
import { NotFound } from "../../../../lib/http/errors.ts";
import { createApiApp, envelopeOf, errorResponses, jsonContent, ok } from "../../../../lib/http/openapi.ts";
import { accountRoute, CommunityParams, communityRoute, type RouteEnv } from "../api.ts";
import { Graph } from "./graph.ts";
import { tierOf, verifyLicence } from "./licence.ts";
import { NODE_CATEGORIES, NODE_CONFIGS, type NodeType, outputPorts } from "./nodes.ts";
import { TEMPLATES } from "./templates.ts";
import { auditWorkflow, toApi } from "./workflows.repo.ts";
import { createWorkflow, WorkflowSchema } from "./workflows.schema.ts";

const Template = z
  .object({
    id: z.string(),
    name: z.string(),
    description: z.string(),
    workflows: z.array(z.object({ name: z.string(), description: z.string(), graph: Graph })),
  })
  .openapi("WorkflowTemplate");
const NodeTypeInfo = z
  .object({ type: z.string(), category: z.string(), ports: z.array(z.string()), configSchema: z.unknown() })
  .openapi("WorkflowNodeType");
const LicenceInfo = z
  .object({ tier: z.enum(["free", "pro"]), expiresAt: z.string().nullable(), problem: z.string().nullable() })
  .openapi("WorkflowLicence");

/** Templates, the node palette, instantiation and the licence. */
export const workflowExtrasRoutes = createApiApp<RouteEnv>();
/** Routes outside any community (mounted at /api/v1). */
export const workflowCatalogRoutes = createApiApp<RouteEnv>();

workflowCatalogRoutes.openapi(
  accountRoute({
    method: "get",
    path: "/workflow-templates",
    tags: ["workflows"],
    summary: "Built-in workflow templates",
    permission: "workflow-templates:read",
    responses: {
      200: { description: "Templates", ...jsonContent(envelopeOf(z.array(Template))) },
      ...errorResponses(401, 403),
    },
  }),
  (c) => ok(c, TEMPLATES),
);

workflowCatalogRoutes.openapi(
  accountRoute({
    method: "get",
    path: "/workflow-node-types",
    tags: ["workflows"],
    summary: "The 22 node types: palette category, output ports and the JSON Schema of the config",
    permission: "workflow-templates:read",
    responses: {
      200: { description: "Node types", ...jsonContent(envelopeOf(z.array(NodeTypeInfo))) },
      ...errorResponses(401, 403),
    },
  }),
  (c) =>
    ok(
      c,
      Object.entries(NODE_CATEGORIES).flatMap(([category, types]) =>
        types.map((type) => ({
          type,
          category,
          ports: outputPorts(type, {}),
          configSchema: z.toJSONSchema(NODE_CONFIGS[type as NodeType], { io: "input", unrepresentable: "any" }),
        })),
      ),
    ),
);

workflowExtrasRoutes.openapi(
  communityRoute({
    method: "post",
    path: "/{communityId}/workflows/from-template",
    tags: ["workflows"],
    summary: "Create the template's workflows as drafts in one call (402 over the licence tier's limit)",
    permission: "workflows:write",
    request: {
      params: CommunityParams,
      body: { required: true, ...jsonContent(z.object({ templateId: z.string().max(64) })) },
    },
    responses: {
      201: { description: "Created", ...jsonContent(envelopeOf(z.array(WorkflowSchema))) },
      ...errorResponses(400, 401, 402, 403, 404, 409),
    },
  }),
  async (c) => {
    const { communityId } = c.req.valid("param");
    const template = TEMPLATES.find((t) => t.id === c.req.valid("json").templateId);
    if (!template) throw new NotFound("No such template");
    const rows = [];
    for (const wf of template.workflows) rows.push(await createWorkflow(c, communityId, wf));
    return ok(c, rows.map(toApi), `${template.name}: ${rows.length} draft(s) created`, 201);
  },
);

workflowExtrasRoutes.openapi(
  communityRoute({
    method: "get",
    path: "/{communityId}/workflow-licence",
    tags: ["workflows"],
    summary: "The community's workflow tier (free: 1 workflow; pro: unlimited)",
    permission: "workflows:read",
    request: { params: CommunityParams },
    responses: {
      200: { description: "Tier", ...jsonContent(envelopeOf(LicenceInfo)) },
      ...errorResponses(400, 401, 403, 404),
    },
  }),
  async (c) => {
    const { communityId } = c.req.valid("param");
    const db = createDb(c.env.DB);
    const { tier, problem } = await tierOf(c.env, db, communityId);
    const row = await db.select().from(workflowLicences).where(eq(workflowLicences.communityId, communityId)).get();
    return ok(c, { tier, expiresAt: row ? row.expiresAt.toISOString() : null, problem: problem ?? null });
  },
);

workflowExtrasRoutes.openapi(
  communityRoute({
    method: "put",
    path: "/{communityId}/workflow-licence",
    tags: ["workflows"],
    summary: "Install a licence token (402 when its signature, community or expiry is wrong)",
    permission: "workflows:write",
    request: {
      params: CommunityParams,
      body: { required: true, ...jsonContent(z.object({ token: z.string().min(10).max(4096) })) },
    },
    responses: {
      200: { description: "Installed", ...jsonContent(envelopeOf(LicenceInfo)) },
      ...errorResponses(400, 401, 402, 403, 404),
    },
  }),
  async (c) => {
    const { communityId } = c.req.valid("param");
    const { token } = c.req.valid("json");
    const licence = await verifyLicence(c.env, token, communityId);
    const expiresAt = new Date(licence.exp * 1000);
    await createDb(c.env.DB)
      .insert(workflowLicences)
      .values({ communityId, token, tier: licence.tier, expiresAt })
      .onConflictDoUpdate({ target: workflowLicences.communityId, set: { token, tier: licence.tier, expiresAt } });
    await auditWorkflow(c, communityId, "workflow.licence.set", communityId, {
      to: { tier: licence.tier, expiresAt: expiresAt.toISOString() },
    });
    return ok(c, { tier: licence.tier, expiresAt: expiresAt.toISOString(), problem: null }, "Licence installed");
  },
);
