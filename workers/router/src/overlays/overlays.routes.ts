import { z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { createDb } from "../../../../lib/db/client.ts";
import { OVERLAY_TYPES, type OverlayType } from "../../../../lib/db/schema/index.ts";
import { createApiApp, envelopeOf, errorResponses, ok } from "../../../../lib/http/openapi.ts";
import { released } from "../../../../lib/rpc.ts";
import { communityRoute } from "../api.ts";
import { MESSAGE_SCHEMAS } from "./messages.ts";
import { overlayAlertsRoutes } from "./overlay-alerts.routes.ts";
import { overlayClientsRoutes } from "./overlay-clients.routes.ts";
import { overlayStyleRoutes } from "./overlay-style.routes.ts";
import { Params, type RouteEnv, TypeParams } from "./overlays.shared.ts";
import { overlayRoom } from "./publish.ts";
import { DEFAULT_GRACE_MS, ensureTokens, type OverlayTokenRow, rotateToken } from "./tokens.repo.ts";

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

const Published = z.object({ seq: z.number().int(), delivered: z.number().int() }).openapi("OverlayPublished");

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
overlaysRoutes.route("/", overlayClientsRoutes);
overlaysRoutes.route("/", overlayAlertsRoutes);
overlaysRoutes.route("/", overlayStyleRoutes);

overlaysRoutes.openapi(
  communityRoute({
    method: "get",
    path: "/{communityId}/overlays",
    tags: ["overlays"],
    summary: "The community's OBS browser-source URLs, one per overlay type",
    permission: "overlays:read",
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
    const [rows, counts] = await Promise.all([
      ensureTokens(db, communityId),
      overlayRoom(c.env, communityId).counts().then(released),
    ]);
    const order = (t: OverlayType) => OVERLAY_TYPES.indexOf(t);
    return ok(
      c,
      rows.sort((a, b) => order(a.type) - order(b.type)).map((r) => describe(c, r, counts[r.type])),
    );
  },
);

overlaysRoutes.openapi(
  communityRoute({
    method: "post",
    path: "/{communityId}/overlays/{type}/rotate",
    tags: ["overlays"],
    summary: "Replace an overlay URL; the old one keeps working for the grace period (default 5 minutes)",
    permission: "overlays:write",
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
    // No body at all validates as {} (the body is optional).
    const { graceSeconds } = c.req.valid("json");
    const graceMs = graceSeconds === undefined ? DEFAULT_GRACE_MS : graceSeconds * 1000;
    const db = createDb(c.env.DB);
    const principal = c.get("principal");
    const row = await rotateToken(db, communityId, type, graceMs, {
      actorType: principal.via === "api_key" ? "api_key" : "user",
      actorId: principal.apiKeyId ?? principal.userId,
      requestId: (c.get("requestId" as never) as string | undefined) ?? null,
    });
    const room = overlayRoom(c.env, communityId);
    await room.retireGeneration(type, row.generation, row.graceUntil!.getTime());
    return ok(c, describe(c, row, released(await room.counts())[type]), "Rotated");
  },
);

for (const type of OVERLAY_TYPES) {
  overlaysRoutes.openapi(
    communityRoute({
      method: "post",
      path: `/{communityId}/overlays/${type}/messages`,
      tags: ["overlays"],
      summary: `Show a ${type} message on the community's ${type} overlay`,
      permission: "overlays:write",
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
      const result = released(await overlayRoom(c.env, communityId).publish(type, message));
      return ok(c, result, "Published", 201);
    },
  );
}
