import { createDb } from "../../../../lib/db/client.ts";
import { NotFound } from "../../../../lib/http/errors.ts";
import { createApiApp, envelopeOf, errorResponses, jsonContent, ok } from "../../../../lib/http/openapi.ts";
import { accountRoute, communityRoute, type RouteEnv } from "../api.ts";
import { AnalyticsQuery, moduleUsage, Usage } from "./analytics.ts";
import { ownModule } from "./catalog.guards.ts";
import { findListed, moduleStats } from "./catalog.repo.ts";
import { NameParams } from "./catalog.schema.ts";
import { findInstallation } from "./installations.repo.ts";
import { InstallationParams } from "./installations.schema.ts";

/** Module usage for its author (every community, aggregated) — mounted under /api/v1/marketplace. */
export const authorAnalyticsRoutes = createApiApp<RouteEnv>();
/** A community's own usage of an installed module — mounted under /api/v1/communities. */
export const installationAnalyticsRoutes = createApiApp<RouteEnv>();

const usageResponse = { description: "Usage per day", ...jsonContent(envelopeOf(Usage)) };

authorAnalyticsRoutes.openapi(
  accountRoute({
    method: "get",
    path: "/modules/{name}/analytics",
    tags: ["marketplace"],
    summary: "Usage across every community (the author's view: aggregated, no personal data)",
    permission: "marketplace:publish",
    request: { params: NameParams, query: AnalyticsQuery },
    responses: { 200: usageResponse, ...errorResponses(400, 401, 403, 404) },
  }),
  async (c) => {
    const db = createDb(c.env.DB);
    const m = await ownModule(db, c.req.valid("param").name, c.get("principal"));
    const [usage, stats] = await Promise.all([
      moduleUsage(c.env.DB, m.id, null, c.req.valid("query").days),
      moduleStats(db, m.id),
    ]);
    return ok(c, { ...usage, installations: Number(stats?.installs ?? 0) });
  },
);

installationAnalyticsRoutes.openapi(
  communityRoute({
    method: "get",
    path: "/{communityId}/installations/{module}/analytics",
    tags: ["marketplace"],
    summary: "The community's own usage of an installed module",
    permission: "modules:read",
    request: { params: InstallationParams, query: AnalyticsQuery },
    responses: { 200: usageResponse, ...errorResponses(400, 401, 403, 404) },
  }),
  async (c) => {
    const { communityId, module } = c.req.valid("param");
    const db = createDb(c.env.DB);
    const m = await findListed(db, module, communityId);
    if (!m || !(await findInstallation(db, communityId, m.id)))
      throw new NotFound(`${module} is not installed in this community`);
    return ok(c, await moduleUsage(c.env.DB, m.id, communityId, c.req.valid("query").days));
  },
);
