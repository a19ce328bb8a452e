import { eq } from "drizzle-orm";
import { createDb } from "../../../../lib/db/client.ts";
import { communities } from "../../../../lib/db/schema/index.ts";
import { createApiApp, envelopeOf, errorResponses, jsonContent, ok } from "../../../../lib/http/openapi.ts";
import { communityRoute } from "../api.ts";
import { auditChange } from "../audit-change.ts";
import { invalidateRouterConfig } from "../router-config.ts";
import { OverlayStyle, OverlayStyleUpdate, styleOf } from "./overlay-style.ts";
import { communityRow, Params, type RouteEnv } from "./overlays.shared.ts";

/** The overlays' look per community (mounted inside overlaysRoutes, behind its auth). */
export const overlayStyleRoutes = createApiApp<RouteEnv>();

overlayStyleRoutes.openapi(
  communityRoute({
    method: "get",
    path: "/{communityId}/overlays/style",
    tags: ["overlays"],
    summary: "The overlays' font, colours, position and alert duration",
    permission: "overlays:read",
    request: { params: Params },
    responses: {
      200: { description: "The style", ...jsonContent(envelopeOf(OverlayStyle)) },
      ...errorResponses(400, 401, 403, 404),
    },
  }),
  async (c) => ok(c, styleOf((await communityRow(createDb(c.env.DB), c.req.valid("param").communityId)).settings)),
);

overlayStyleRoutes.openapi(
  communityRoute({
    method: "put",
    path: "/{communityId}/overlays/style",
    tags: ["overlays"],
    summary: "Change the overlays' look (fields left out keep their value); open pages pick it up on reload",
    permission: "overlays:write",
    request: { params: Params, body: { required: true, ...jsonContent(OverlayStyleUpdate) } },
    responses: {
      200: { description: "The style", ...jsonContent(envelopeOf(OverlayStyle)) },
      ...errorResponses(400, 401, 403, 404),
    },
  }),
  async (c) => {
    const { communityId } = c.req.valid("param");
    const db = createDb(c.env.DB);
    const community = await communityRow(db, communityId);
    const before = styleOf(community.settings);
    const style = { ...before, ...c.req.valid("json") };
    const overlays = community.settings.overlays as Record<string, unknown> | undefined;
    const settings = { ...community.settings, overlays: { ...overlays, style } };
    await db.update(communities).set({ settings }).where(eq(communities.id, communityId));
    invalidateRouterConfig(communityId);
    await auditChange(c, communityId, {
      action: "overlay.style_update",
      targetType: "community",
      targetId: communityId,
      name: "overlay style",
      before,
      after: style,
    });
    return ok(c, style, "Saved");
  },
);
