import { z } from "@hono/zod-openapi";
import { and, eq } from "drizzle-orm";
import ipaddr from "ipaddr.js";
import { randomHex } from "../../../../lib/crypto/encoding.ts";
import { SEALED_COLUMNS, sealContext } from "../../../../lib/crypto/sealed-columns.ts";
import { seal } from "../../../../lib/crypto/secret-box.ts";
import { createDb } from "../../../../lib/db/client.ts";
import { workflowWebhooks } from "../../../../lib/db/schema/index.ts";
import { NotFound } from "../../../../lib/http/errors.ts";
import { createApiApp, envelopeOf, errorResponses, jsonContent, ok } from "../../../../lib/http/openapi.ts";
import { communityRoute, type RouteEnv } from "../api.ts";
import { auditWorkflow, getWorkflow } from "./workflows.repo.ts";
import { WorkflowParams } from "./workflows.schema.ts";

/** The webhook secret is sealed at rest (lib/crypto/secret-box.ts), listed in SEALED_COLUMNS for rotation. */
export const WEBHOOK_SECRET_COLUMN = SEALED_COLUMNS.find((c) => c.table === "workflow_webhooks")!;

/** An IP address or a CIDR range, as ipaddr.js reads them. */
const IpOrCidr = z
  .string()
  .max(64)
  .refine((s) => (s.includes("/") ? ipaddr.isValidCIDR(s) : ipaddr.isValid(s)), "an IP address or CIDR range");

const HookInput = z
  .object({
    allowedIps: z.array(IpOrCidr).max(50).default([]),
    ratePerMinute: z.number().int().min(1).max(6000).default(60),
  })
  .openapi("WorkflowWebhookInput");

const Hook = z
  .object({
    id: z.string(),
    workflowId: z.string(),
    url: z.string(),
    allowedIps: z.array(z.string()),
    ratePerMinute: z.number(),
    triggerCount: z.number(),
    lastTriggeredAt: z.string().nullable(),
    createdAt: z.string(),
  })
  .openapi("WorkflowWebhook");

type Row = typeof workflowWebhooks.$inferSelect;
const toApi = (r: Row, origin: string) => ({
  id: r.id,
  workflowId: r.workflowId,
  url: `${origin}/workflows/webhooks/${r.token}`,
  allowedIps: r.allowedIps,
  ratePerMinute: r.ratePerMinute,
  triggerCount: r.triggerCount,
  lastTriggeredAt: r.lastTriggeredAt?.toISOString() ?? null,
  createdAt: r.createdAt.toISOString(),
});
const originOf = (_env: unknown, url: string) => new URL(url).origin;

/** Admin API: a workflow's incoming webhooks (token in the URL, HMAC secret shown once). */
export const workflowHooksRoutes = createApiApp<RouteEnv>();

workflowHooksRoutes.openapi(
  communityRoute({
    method: "post",
    path: "/{communityId}/workflows/{workflowId}/webhooks",
    tags: ["workflows"],
    summary: "Create an incoming webhook: a 32-hex token and a secret (shown only now)",
    permission: "workflows:write",
    request: { params: WorkflowParams, body: { required: false, ...jsonContent(HookInput) } },
    responses: {
      201: {
        description: "Created",
        ...jsonContent(envelopeOf(Hook.extend({ token: z.string(), secret: z.string() }))),
      },
      ...errorResponses(400, 401, 403, 404),
    },
  }),
  async (c) => {
    const { communityId, workflowId } = c.req.valid("param");
    const input = HookInput.parse(c.req.valid("json") ?? {});
    const db = createDb(c.env.DB);
    await getWorkflow(db, communityId, workflowId);
    const id = crypto.randomUUID();
    const token = randomHex(16);
    const secret = `whsec_${randomHex(32)}`;
    const row = await db
      .insert(workflowWebhooks)
      .values({
        id,
        workflowId,
        communityId,
        token,
        secret: await seal(c.env, secret, sealContext(WEBHOOK_SECRET_COLUMN, id)),
        ...input,
      })
      .returning()
      .get();
    await auditWorkflow(c, communityId, "workflow.webhook.create", workflowId, { to: { webhookId: id, ...input } });
    return ok(
      c,
      { ...toApi(row, originOf(c.env, c.req.url)), token, secret },
      "Webhook created; keep the secret, it is not shown again",
      201,
    );
  },
);

workflowHooksRoutes.openapi(
  communityRoute({
    method: "get",
    path: "/{communityId}/workflows/{workflowId}/webhooks",
    tags: ["workflows"],
    summary: "A workflow's webhooks with their trigger count and last trigger",
    permission: "workflows:read",
    request: { params: WorkflowParams },
    responses: {
      200: { description: "Webhooks", ...jsonContent(envelopeOf(z.array(Hook))) },
      ...errorResponses(400, 401, 403, 404),
    },
  }),
  async (c) => {
    const { communityId, workflowId } = c.req.valid("param");
    const db = createDb(c.env.DB);
    await getWorkflow(db, communityId, workflowId);
    const rows = await db.select().from(workflowWebhooks).where(eq(workflowWebhooks.workflowId, workflowId));
    return ok(
      c,
      rows.map((r) => toApi(r, originOf(c.env, c.req.url))),
    );
  },
);

workflowHooksRoutes.openapi(
  communityRoute({
    method: "delete",
    path: "/{communityId}/workflows/{workflowId}/webhooks/{webhookId}",
    tags: ["workflows"],
    summary: "Delete a webhook (its URL stops working at once)",
    permission: "workflows:write",
    request: { params: WorkflowParams.extend({ webhookId: z.uuid() }) },
    responses: {
      200: { description: "Deleted", ...jsonContent(envelopeOf(z.null())) },
      ...errorResponses(400, 401, 403, 404),
    },
  }),
  async (c) => {
    const { communityId, workflowId, webhookId } = c.req.valid("param");
    const gone = await createDb(c.env.DB)
      .delete(workflowWebhooks)
      .where(
        and(
          eq(workflowWebhooks.id, webhookId),
          eq(workflowWebhooks.workflowId, workflowId),
          eq(workflowWebhooks.communityId, communityId),
        ),
      )
      .returning({ id: workflowWebhooks.id });
    if (!gone.length) throw new NotFound("No such webhook");
    await auditWorkflow(c, communityId, "workflow.webhook.delete", workflowId, { from: { webhookId } });
    return ok(c, null, "Webhook deleted");
  },
);
