import { z } from "@hono/zod-openapi";
import { createDb } from "../../../../lib/db/client.ts";
import { createApiApp, envelopeOf, errorResponses, jsonContent, ok } from "../../../../lib/http/openapi.ts";
import { CommunityParams, communityRoute, type RouteEnv } from "../api.ts";
import { auditChange } from "../audit-change.ts";
import { DEFAULT_SETTINGS, invalidateRouterConfig } from "../router-config.ts";
import { settingsQuery, upsertSettings } from "./commands.repo.ts";

const DAY_SEC = 86_400;
const CooldownSettings = z
  .object({
    userCommandLimit: z
      .number()
      .int()
      .min(1)
      .max(10_000)
      .openapi({ description: "Uses per window per user and command" }),
    userCommandWindowSec: z.number().int().min(1).max(DAY_SEC),
    communityLimit: z
      .number()
      .int()
      .min(0)
      .max(1_000_000)
      .openapi({ description: "Commands per window in the community; 0 = none" }),
    communityWindowSec: z.number().int().min(1).max(DAY_SEC),
    rateLimitedReply: z
      .string()
      .trim()
      .min(1)
      .max(300)
      .nullable()
      .openapi({ description: "Said to a rate-limited caller ({user}, {retry} = seconds); null = silence" }),
  })
  .openapi("CooldownSettings");

const current = async (db: ReturnType<typeof createDb>, communityId: string) => {
  const row = (await settingsQuery(db, communityId))[0];
  const { liveSince: _l, ...defaults } = DEFAULT_SETTINGS;
  if (!row) return defaults;
  const { liveSince: _, communityId: _c, updatedAt: _u, ...settings } = row;
  return settings;
};

/**
 * Admin API: a community's rate limits (per user and command, community-wide) and what the
 * bot says when someone hits one. Per-command cooldowns are fields of the command.
 */
export const cooldownsRoutes = createApiApp<RouteEnv>();

cooldownsRoutes.openapi(
  communityRoute({
    method: "get",
    path: "/{communityId}/cooldowns",
    tags: ["cooldowns"],
    summary: "The community's rate-limit settings (defaults when never set)",
    permission: "cooldowns:read",
    request: { params: CommunityParams },
    responses: {
      200: { description: "Settings", ...jsonContent(envelopeOf(CooldownSettings)) },
      ...errorResponses(400, 401, 403),
    },
  }),
  async (c) => ok(c, await current(createDb(c.env.DB), c.req.valid("param").communityId)),
);

cooldownsRoutes.openapi(
  communityRoute({
    method: "put",
    path: "/{communityId}/cooldowns",
    tags: ["cooldowns"],
    summary: "Change the community's rate-limit settings (fields left out keep their value)",
    permission: "cooldowns:write",
    request: { params: CommunityParams, body: { required: true, ...jsonContent(CooldownSettings.partial()) } },
    responses: {
      200: { description: "Settings", ...jsonContent(envelopeOf(CooldownSettings)) },
      ...errorResponses(400, 401, 403, 404),
    },
  }),
  async (c) => {
    const { communityId } = c.req.valid("param");
    const db = createDb(c.env.DB);
    const before = await current(db, communityId);
    await upsertSettings(db, communityId, c.req.valid("json"));
    invalidateRouterConfig(communityId);
    const after = await current(db, communityId);
    await auditChange(c, communityId, {
      action: "cooldowns.update",
      targetType: "community",
      targetId: communityId,
      name: "rate limits",
      before,
      after,
    });
    return ok(c, after, "Settings saved");
  },
);
