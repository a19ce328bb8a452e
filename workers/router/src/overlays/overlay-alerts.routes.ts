import { eq } from "drizzle-orm";
import { createDb } from "../../../../lib/db/client.ts";
import { communities } from "../../../../lib/db/schema/index.ts";
import { createApiApp, envelopeOf, errorResponses, ok } from "../../../../lib/http/openapi.ts";
import { communityRoute } from "../api.ts";
import { auditChange } from "../audit-change.ts";
import { invalidateRouterConfig } from "../router-config.ts";
import { AlertSettings, AlertSettingsUpdate, alertSettingsOf } from "./alerts.ts";
import { communityRow, Params, type RouteEnv } from "./overlays.shared.ts";

/** Which platform events raise ticker alerts (mounted inside overlaysRoutes, behind its auth). */
export const overlayAlertsRoutes = createApiApp<RouteEnv>();

overlayAlertsRoutes.openapi(
  communityRoute({
    method: "get",
    path: "/{communityId}/overlays/alerts",
    tags: ["overlays"],
    summary: "Which platform events raise ticker alerts",
    permission: "overlays:read",
    request: { params: Params },
    responses: {
      200: { description: "Alert switches", content: { "application/json": { schema: envelopeOf(AlertSettings) } } },
      ...errorResponses(400, 401, 403, 404),
    },
  }),
  async (c) => {
    const { communityId } = c.req.valid("param");
    const community = await communityRow(createDb(c.env.DB), communityId);
    return ok(c, alertSettingsOf(community.settings));
  },
);

overlayAlertsRoutes.openapi(
  communityRoute({
    method: "put",
    path: "/{communityId}/overlays/alerts",
    tags: ["overlays"],
    summary: "Switch ticker alerts for follows, subs, gifted subs, raids and cheers on or off",
    permission: "overlays:write",
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
    const community = await communityRow(db, communityId);
    const alerts = { ...alertSettingsOf(community.settings), ...c.req.valid("json") };
    const settings = {
      ...community.settings,
      overlays: { ...(community.settings.overlays as Record<string, unknown> | undefined), alerts },
    };
    await db.update(communities).set({ settings }).where(eq(communities.id, communityId));
    // The hot path reads the switches from the cached router config.
    invalidateRouterConfig(communityId);
    await auditChange(c, communityId, {
      action: "overlay.alerts_update",
      targetType: "community",
      targetId: communityId,
      name: "ticker alerts",
      before: alertSettingsOf(community.settings),
      after: alerts,
    });
    return ok(c, alerts, "Saved");
  },
);
