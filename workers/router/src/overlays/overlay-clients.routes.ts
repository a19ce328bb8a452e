import { z } from "@hono/zod-openapi";
import { OVERLAY_TYPES } from "../../../../lib/db/schema/index.ts";
import { createApiApp, envelopeOf, errorResponses, ok } from "../../../../lib/http/openapi.ts";
import { released } from "../../../../lib/rpc.ts";
import { communityRoute } from "../api.ts";
import { Params, type RouteEnv } from "./overlays.shared.ts";
import { overlayRoom } from "./publish.ts";

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

/** The pages connected to a community's overlay room (mounted inside overlaysRoutes, behind its auth). */
export const overlayClientsRoutes = createApiApp<RouteEnv>();

overlayClientsRoutes.openapi(
  communityRoute({
    method: "get",
    path: "/{communityId}/overlays/clients",
    tags: ["overlays"],
    summary: "The overlay pages connected right now",
    permission: "overlays:read",
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
    const room = overlayRoom(c.env, communityId);
    const [counts, clients] = await Promise.all([room.counts().then(released), room.listClients().then(released)]);
    return ok(c, { counts, clients });
  },
);

overlayClientsRoutes.openapi(
  communityRoute({
    method: "post",
    path: "/{communityId}/overlays/clients/disconnect",
    tags: ["overlays"],
    summary: "Make connected pages (all, or of one type) reconnect; they resume where they were",
    permission: "overlays:write",
    request: {
      params: Params,
      body: {
        required: false,
        content: { "application/json": { schema: z.object({ type: z.enum(OVERLAY_TYPES).optional() }).strict() } },
      },
    },
    responses: {
      200: {
        description: "How many pages were asked to reconnect",
        content: { "application/json": { schema: envelopeOf(z.object({ disconnected: z.number().int() })) } },
      },
      ...errorResponses(400, 401, 403, 404),
    },
  }),
  async (c) => {
    const { communityId } = c.req.valid("param");
    const { type } = c.req.valid("json");
    return ok(c, { disconnected: await overlayRoom(c.env, communityId).disconnect(type) });
  },
);
