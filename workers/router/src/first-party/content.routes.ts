import { z } from "@hono/zod-openapi";
import { NotFound, ServiceUnavailable } from "../../../../lib/http/errors.ts";
import { createApiApp, envelopeOf, errorResponses, jsonContent, ok } from "../../../../lib/http/openapi.ts";
import { ModuleContentSchema } from "../../../../lib/modules/contract.ts";
import { released } from "../../../../lib/rpc.ts";
import { CommunityParams, communityRoute, type RouteEnv } from "../api.ts";
import type { Env } from "../env.ts";
import { auditChange } from "../marketplace/audit.ts";

/** The portal's pages for the first-party modules' data (quotes, counters, leaderboard, giveaways, timers). */
export const firstPartyRoutes = createApiApp<RouteEnv>();

const modulesOf = (env: Env) => {
  if (!env.MODULES) throw new ServiceUnavailable("The first-party modules worker is not bound");
  return env.MODULES;
};

firstPartyRoutes.openapi(
  communityRoute({
    method: "get",
    path: "/{communityId}/first-party/content",
    tags: ["marketplace"],
    summary: "The first-party modules' data: quotes, counters, loyalty leaderboard, giveaways, timers",
    permission: "modules:read",
    request: { params: CommunityParams },
    responses: {
      200: { description: "The data", ...jsonContent(envelopeOf(ModuleContentSchema.openapi("FirstPartyContent"))) },
      ...errorResponses(400, 401, 403, 404),
    },
  }),
  async (c) => {
    const { communityId } = c.req.valid("param");
    return ok(c, ModuleContentSchema.parse(released(await modulesOf(c.env).content(communityId))));
  },
);

firstPartyRoutes.openapi(
  communityRoute({
    method: "delete",
    path: "/{communityId}/first-party/quotes/{number}",
    tags: ["marketplace"],
    summary: "Delete a quote (the memories module)",
    permission: "modules:write",
    request: {
      params: CommunityParams.extend({
        number: z.coerce.number().int().min(1).max(999_999_999).openapi({ description: "The quote's number" }),
      }),
    },
    responses: {
      200: { description: "Deleted", ...jsonContent(envelopeOf(z.object({ number: z.number().int() }))) },
      ...errorResponses(400, 401, 403, 404),
    },
  }),
  async (c) => {
    const { communityId, number } = c.req.valid("param");
    const text = released(await modulesOf(c.env).deleteQuote(communityId, number));
    if (text === null) throw new NotFound(`There is no quote #${number}`);
    auditChange(c, {
      communityId,
      action: "module.quote.delete",
      targetType: "quote",
      targetId: String(number),
      details: { from: { text }, to: null },
    });
    return ok(c, { number });
  },
);
