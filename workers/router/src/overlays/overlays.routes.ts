import { createRoute, z } from "@hono/zod-openapi";
import { eq } from "drizzle-orm";
import type { Context } from "hono";
import { recordAudit } from "../../../../lib/audit.ts";
import { type AuthVariables, requireAuth, requirePermission } from "../../../../lib/auth/hono.ts";
import { createDb, type Database } from "../../../../lib/db/client.ts";
import { communities, OVERLAY_TYPES, type OverlayType } from "../../../../lib/db/schema/index.ts";
import { NotFound } from "../../../../lib/http/errors.ts";
import { createApiApp, envelopeOf, errorResponses, ok, SECURITY } from "../../../../lib/http/openapi.ts";
import type { Env } from "../env.ts";
import { AlertSettings, AlertSettingsUpdate, alertSettingsOf } from "./alerts.ts";
import { MESSAGE_SCHEMAS } from "./messages.ts";
import { overlayRoom } from "./publish.ts";
import { DEFAULT_GRACE_MS, ensureTokens, type OverlayTokenRow, rotateToken } from "./tokens.repo.ts";

type RouteEnv = { Bindings: Env; Variables: AuthVariables };
const identity = (c: { env: Env }) => c.env.IDENTITY;

const Params = z.object({ communityId: z.uuid() });
const TypeParams = Params.extend({ type: z.enum(OVERLAY_TYPES) });

const OverlaySource = z
  .object({
    type: z.enum(OVERLAY_TYPES),
    url: z.string().openapi({ description: "Paste into OBS as a Browser Source" }),
    generation: z.number().int(),
    createdAt: z.string(),
    rotatedAt: z.string().nullable(),
    previousUrlValidUntil: z.string().nullable().openapi({ description: "The old URL works until then" }),
    clients: z.number().int().openapi({ description: "Pages connected now" }),
  })
  .openapi("OverlaySource");

const Client = z
  .object({
    id: z.string(),
    type: z.enum(OVERLAY_TYPES),
    gen: z.number().int(),
    connectedAt: z.number(),
    lastSeq: z.number().int(),
    lastPingAt: z.number().nullable(),
  })
  .openapi("OverlayClient");

const Published = z.object({ seq: z.number().int(), delivered: z.number().int() }).openapi("OverlayPublished");

async function requireCommunity(db: Database, communityId: string) {
  const row = await db.select().from(communities).where(eq(communities.id, communityId)).get();
  if (!row) throw new NotFound("No such community");
  return row;
}

function describe(c: Context, row: OverlayTokenRow, clients: number) {
  const grace = row.graceUntil && row.graceUntil.getTime() > Date.now() ? row.graceUntil.toISOString() : null;
  return {
    type: row.type,
    url: `${new URL(c.req.url).origin}/overlay/${row.token}/${row.type}`,
    generation: row.generation,
    createdAt: row.createdAt.toISOString(),
    rotatedAt: row.rotatedAt?.toISOString() ?? null,
    previousUrlValidUntil: grace,
    clients,
  };
}

export const overlaysRoutes = createApiApp<RouteEnv>();
overlaysRoutes.use("/:communityId/overlays/*", requireAuth(identity));
overlaysRoutes.use("/:communityId/overlays", requireAuth(identity));

overlaysRoutes.openapi(
  createRoute({
    method: "get",
    path: "/{communityId}/overlays",
    tags: ["overlays"],
    summary: "The community's OBS browser-source URLs, one per overlay type",
    security: SECURITY,
    middleware: [requirePermission(identity, "overlays:read")] as const,
    request: { params: Params },
    responses: {
      200: {
        description: "Overlay URLs",
        content: { "application/json": { schema: envelopeOf(z.array(OverlaySource)) } },
      },
      ...errorResponses(400, 401, 403, 404),
    },
  }),
  async (c) => {
    const { communityId } = c.req.valid("param");
    const db = createDb(c.env.DB);
    await requireCommunity(db, communityId);
    const [rows, counts] = await Promise.all([ensureTokens(db, communityId), overlayRoom(c.env, communityId).counts()]);
    const order = (t: OverlayType) => OVERLAY_TYPES.indexOf(t);
    return ok(
      c,
      rows.sort((a, b) => order(a.type) - order(b.type)).map((r) => describe(c, r, counts[r.type])),
    );
  },
);

overlaysRoutes.openapi(
  createRoute({
    method: "post",
    path: "/{communityId}/overlays/{type}/rotate",
    tags: ["overlays"],
    summary: "Replace an overlay URL; the old one keeps working for the grace period (default 5 minutes)",
    security: SECURITY,
    middleware: [requirePermission(identity, "overlays:write")] as const,
    request: {
      params: TypeParams,
      body: {
        required: false,
        content: {
          "application/json": {
            schema: z.object({ graceSeconds: z.number().int().min(0).max(3_600).optional() }).strict(),
          },
        },
      },
    },
    responses: {
      200: { description: "The new URL", content: { "application/json": { schema: envelopeOf(OverlaySource) } } },
      ...errorResponses(400, 401, 403, 404, 409),
    },
  }),
  async (c) => {
    const { communityId, type } = c.req.valid("param");
    const hasBody = (c.req.header("content-length") ?? "0") !== "0";
    const graceMs = hasBody ? (c.req.valid("json").graceSeconds ?? DEFAULT_GRACE_MS / 1000) * 1000 : DEFAULT_GRACE_MS;
    const db = createDb(c.env.DB);
    await requireCommunity(db, communityId);
    const row = await rotateToken(db, communityId, type, graceMs);
    const room = overlayRoom(c.env, communityId);
    await room.retireGeneration(type, row.generation, row.graceUntil!.getTime());
    const principal = c.get("principal");
    c.executionCtx.waitUntil(
      recordAudit(c.env.DB, {
        actorType: principal.via === "api_key" ? "api_key" : "user",
        actorId: principal.apiKeyId ?? principal.userId,
        communityId,
        action: "overlay.token_rotated",
        targetType: "overlay",
        targetId: type,
        outcome: "success",
        details: { generation: row.generation, graceMs },
        requestId: c.get("requestId" as never) ?? null,
      }),
    );
    return ok(c, describe(c, row, (await room.counts())[type]), "Rotated");
  },
);

overlaysRoutes.openapi(
  createRoute({
    method: "get",
    path: "/{communityId}/overlays/clients",
    tags: ["overlays"],
    summary: "The overlay pages connected right now",
    security: SECURITY,
    middleware: [requirePermission(identity, "overlays:read")] as const,
    request: { params: Params },
    responses: {
      200: {
        description: "Connected pages",
        content: {
          "application/json": {
            schema: envelopeOf(z.object({ counts: z.record(z.string(), z.number().int()), clients: z.array(Client) })),
          },
        },
      },
      ...errorResponses(400, 401, 403, 404),
    },
  }),
  async (c) => {
    const { communityId } = c.req.valid("param");
    await requireCommunity(createDb(c.env.DB), communityId);
    const room = overlayRoom(c.env, communityId);
    const [counts, clients] = await Promise.all([room.counts(), room.listClients()]);
    return ok(c, { counts, clients });
  },
);

for (const type of OVERLAY_TYPES) {
  overlaysRoutes.openapi(
    createRoute({
      method: "post",
      path: `/{communityId}/overlays/${type}/messages`,
      tags: ["overlays"],
      summary: `Show a ${type} message on the community's ${type} overlay`,
      security: SECURITY,
      middleware: [requirePermission(identity, "overlays:write")] as const,
      request: {
        params: Params,
        body: { required: true, content: { "application/json": { schema: MESSAGE_SCHEMAS[type] } } },
      },
      responses: {
        201: { description: "Published", content: { "application/json": { schema: envelopeOf(Published) } } },
        ...errorResponses(400, 401, 403, 404),
      },
    }),
    async (c) => {
      const { communityId } = c.req.valid("param");
      const message = c.req.valid("json") as Record<string, unknown>;
      await requireCommunity(createDb(c.env.DB), communityId);
      const result = await overlayRoom(c.env, communityId).publish(type, message);
      return ok(c, result, "Published", 201);
    },
  );
}

overlaysRoutes.openapi(
  createRoute({
    method: "get",
    path: "/{communityId}/overlays/alerts",
    tags: ["overlays"],
    summary: "Which platform events raise ticker alerts",
    security: SECURITY,
    middleware: [requirePermission(identity, "overlays:read")] as const,
    request: { params: Params },
    responses: {
      200: { description: "Alert switches", content: { "application/json": { schema: envelopeOf(AlertSettings) } } },
      ...errorResponses(400, 401, 403, 404),
    },
  }),
  async (c) => {
    const { communityId } = c.req.valid("param");
    const community = await requireCommunity(createDb(c.env.DB), communityId);
    return ok(c, alertSettingsOf(community.settings));
  },
);

overlaysRoutes.openapi(
  createRoute({
    method: "put",
    path: "/{communityId}/overlays/alerts",
    tags: ["overlays"],
    summary: "Switch ticker alerts for follows, subs, gifted subs, raids and cheers on or off",
    security: SECURITY,
    middleware: [requirePermission(identity, "overlays:write")] as const,
    request: {
      params: Params,
      body: { required: true, content: { "application/json": { schema: AlertSettingsUpdate } } },
    },
    responses: {
      200: { description: "Alert switches", content: { "application/json": { schema: envelopeOf(AlertSettings) } } },
      ...errorResponses(400, 401, 403, 404),
    },
  }),
  async (c) => {
    const { communityId } = c.req.valid("param");
    const db = createDb(c.env.DB);
    const community = await requireCommunity(db, communityId);
    const alerts = { ...alertSettingsOf(community.settings), ...c.req.valid("json") };
    const settings = {
      ...community.settings,
      overlays: { ...(community.settings.overlays as Record<string, unknown> | undefined), alerts },
    };
    await db.update(communities).set({ settings }).where(eq(communities.id, communityId));
    return ok(c, alerts, "Saved");
  },
);
