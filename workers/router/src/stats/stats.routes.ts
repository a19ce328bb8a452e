import { z } from "@hono/zod-openapi";
import { createApiApp, envelopeOf, errorResponses, ok } from "../../../../lib/http/openapi.ts";
import { CommunityParams, communityRoute, type RouteEnv } from "../api.ts";
import { dayKeys, loadStats } from "./stats.repo.ts";

const StatsQuery = z.object({
  days: z.coerce.number().int().min(1).max(90).default(30).openapi({ description: "How many days back (UTC), 1–90" }),
});

const Stats = z
  .object({
    members: z.number().int(),
    days: z
      .array(z.object({ date: z.string(), commands: z.number().int(), events: z.number().int() }))
      .openapi({ description: "One entry per UTC day, oldest first, including days with nothing" }),
    topCommands: z.array(z.object({ command: z.string(), count: z.number().int() })),
    recentModeration: z.array(
      z.object({
        at: z.string(),
        rule: z.string().nullable(),
        action: z.string().nullable(),
        platform: z.string().nullable(),
        user: z.string().nullable(),
      }),
    ),
  })
  .openapi("CommunityStats");

/**
 * Admin API: the dashboard's numbers for one community. "commands" counts chat commands run
 * (command_executions rows for `!`/`#` commands); "events" counts what else happened: platform
 * events handled by modules plus audit-trail entries (moderation matches, admin changes).
 */
export const statsRoutes = createApiApp<RouteEnv>();

statsRoutes.openapi(
  communityRoute({
    method: "get",
    path: "/{communityId}/stats",
    tags: ["communities"],
    summary: "Dashboard numbers: members, commands and events per day, top commands, recent moderation",
    permission: "executions:read",
    request: { params: CommunityParams, query: StatsQuery },
    responses: {
      200: { description: "The numbers", content: { "application/json": { schema: envelopeOf(Stats) } } },
      ...errorResponses(400, 401, 403, 404),
    },
  }),
  async (c) => {
    const { communityId } = c.req.valid("param");
    const { days } = c.req.valid("query");
    return ok(c, await loadStats(c.env.DB, communityId, dayKeys(days, new Date())));
  },
);
