import { z } from "@hono/zod-openapi";
import { createDb } from "../../../../lib/db/client.ts";
import { ENGINES, EXECUTION_STATUSES, PLATFORMS } from "../../../../lib/db/schema/index.ts";
import { createApiApp, envelopeOf, errorResponses, ok } from "../../../../lib/http/openapi.ts";
import { CommunityParams, communityRoute, type RouteEnv } from "../api.ts";
import { listExecutions } from "./executions.repo.ts";

const Execution = z
  .object({
    id: z.string(),
    eventId: z.string(),
    platform: z.enum(PLATFORMS),
    userId: z.string(),
    command: z.string(),
    moduleId: z.string().nullable(),
    engine: z.enum(ENGINES),
    status: z.enum(EXECUTION_STATUSES),
    durationMs: z.number(),
    error: z.string().nullable(),
    /** A try from the simulate endpoint (synthetic user), not a real chat event. */
    simulated: z.boolean(),
    createdAt: z.string(),
  })
  .openapi("Execution");

const Query = z.object({
  command: z.string().max(40).optional().openapi({ example: "!so" }),
  status: z.enum(EXECUTION_STATUSES).optional(),
  engine: z.enum(ENGINES).optional(),
  userId: z.string().max(64).optional().openapi({ description: "The caller's platform user id" }),
  since: z.iso.datetime().optional(),
  until: z.iso.datetime().optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
  offset: z.coerce.number().int().min(0).max(100_000).default(0),
});

const Page = z.object({ items: z.array(Execution), nextOffset: z.number().nullable() });

/** Admin API: the execution audit (every command and module run), filtered and paged. */
export const executionsRoutes = createApiApp<RouteEnv>();

executionsRoutes.openapi(
  communityRoute({
    method: "get",
    path: "/{communityId}/executions",
    tags: ["executions"],
    summary: "Executions, newest first; page with limit/offset (nextOffset is null on the last page)",
    permission: "executions:read",
    request: { params: CommunityParams, query: Query },
    responses: {
      200: { description: "A page", content: { "application/json": { schema: envelopeOf(Page) } } },
      ...errorResponses(400, 401, 403),
    },
  }),
  async (c) => {
    const { communityId } = c.req.valid("param");
    const q = c.req.valid("query");
    const rows = await listExecutions(createDb(c.env.DB), communityId, {
      ...q,
      since: q.since ? new Date(q.since) : undefined,
      until: q.until ? new Date(q.until) : undefined,
      limit: q.limit + 1,
    });
    const items = rows
      .slice(0, q.limit)
      .map(({ communityId: _, ...r }) => ({ ...r, createdAt: r.createdAt.toISOString() }));
    return ok(c, { items, nextOffset: rows.length > q.limit ? q.offset + q.limit : null });
  },
);
