import { z } from "@hono/zod-openapi";
import { BotReplySchema, ChatEventSchema, ModerationActionSchema } from "../../../../lib/events/chat-event.ts";
import { createApiApp, envelopeOf, errorResponses, ok } from "../../../../lib/http/openapi.ts";
import { log } from "../../../../lib/log.ts";
import { accountRoute, type RouteEnv } from "../api.ts";
import { handleEvent } from "./handle-event.ts";

/** The seeds' number: up to 100 events processed concurrently. */
export const MAX_BATCH = 100;

const BatchInput = z.object({ events: z.array(ChatEventSchema).min(1).max(MAX_BATCH) }).openapi("EventBatch");
const BatchResult = z.object({
  results: z.array(
    z.object({
      eventId: z.string(),
      status: z.string(),
      communityId: z.string().nullable(),
      replies: z.array(BotReplySchema),
      actions: z.array(ModerationActionSchema),
    }),
  ),
});

/**
 * `POST /api/v1/events/batch`: normalised events in bulk (a relay catching up, a backfill),
 * each through the same path as RPC handleEvent. Events name any community and any platform
 * user, so no community role, admin session or general-purpose key may post them: only the
 * `events:ingest` service scope (see `ingestAllows`).
 */
export const batchRoutes = createApiApp<RouteEnv>();

batchRoutes.openapi(
  accountRoute({
    method: "post",
    path: "/batch",
    tags: ["events"],
    summary: `Process up to ${MAX_BATCH} ChatEvents concurrently (service scope events:ingest only)`,
    permission: "events:ingest",
    request: { body: { required: true, content: { "application/json": { schema: BatchInput } } } },
    responses: {
      200: {
        description: "One result per event, in order",
        content: { "application/json": { schema: envelopeOf(BatchResult) } },
      },
      ...errorResponses(400, 401, 403),
    },
  }),
  async (c) => {
    const { events } = c.req.valid("json");
    // One event failing (a Durable Object hiccup) answers "failed" for it, never the whole batch.
    const outcomes = await Promise.all(
      events.map((e) =>
        handleEvent(c.env, c.executionCtx, e).catch((err) => {
          log.error("batch event failed", { eventId: e.id, error: err });
          return { status: "failed", replies: [], communityId: undefined, actions: undefined };
        }),
      ),
    );
    return ok(c, {
      results: outcomes.map((o, i) => ({
        eventId: events[i]!.id,
        status: o.status,
        communityId: o.communityId ?? null,
        replies: o.replies,
        actions: o.actions ?? [],
      })),
    });
  },
);
