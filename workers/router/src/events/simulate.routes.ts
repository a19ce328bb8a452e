import { z } from "@hono/zod-openapi";
import { eq } from "drizzle-orm";
import { recordAudit } from "../../../../lib/audit.ts";
import { flagsForLevel, PERMISSION_LEVELS } from "../../../../lib/chat/permission-level.ts";
import { createDb } from "../../../../lib/db/client.ts";
import { communityPlatforms, PLATFORMS } from "../../../../lib/db/schema/index.ts";
import { BotReplySchema, ModerationActionSchema } from "../../../../lib/events/chat-event.ts";
import { SIMULATED_LABEL, simulatedUserId } from "../../../../lib/events/simulated.ts";
import { TooManyRequests } from "../../../../lib/http/errors.ts";
import { createApiApp, envelopeOf, errorResponses, ok } from "../../../../lib/http/openapi.ts";
import { CommunityParams, communityRoute, type RouteEnv } from "../api.ts";
import { processEvent } from "./handle-event.ts";
import type { SimulatedEvent } from "./routed-event.ts";

const SimulateInput = z
  .object({
    text: z.string().trim().min(1).max(2_000).openapi({ example: '!so "two words"' }),
    level: z.enum(PERMISSION_LEVELS).default("everyone").openapi({ description: "The chat role to act as" }),
    platform: z.enum(PLATFORMS).optional().openapi({ description: "Default: the community's first linked platform" }),
    userId: z.string().regex(SIMULATED_LABEL).optional().openapi({
      description:
        "A label for one of your simulated users (letters, digits, - and _). Never a platform user: the event's user id is sim:<your user id>:<label>",
    }),
    username: z.string().min(1).max(100).optional(),
    channelId: z.string().min(1).max(64).default("simulate"),
  })
  .openapi("SimulateInput");

const SimulateResult = z
  .object({
    status: z.string(),
    /** Always true: the answer of a dry run. */
    simulated: z.literal(true),
    /** The synthetic user the event ran as. */
    user: z.object({ id: z.string(), username: z.string() }),
    replies: z.array(BotReplySchema).openapi({ description: "Chat replies and overlay previews (not published)" }),
    actions: z.array(ModerationActionSchema).openapi({ description: "Moderation actions a live event would get" }),
    wouldDo: z.array(z.string()).openapi({ description: "Effects a live event would have had, skipped here" }),
    execution: z
      .object({
        command: z.string(),
        engine: z.string(),
        status: z.string(),
        durationMs: z.number(),
        error: z.string().optional(),
      })
      .nullable(),
  })
  .openapi("SimulateResult");

/**
 * Admin API: try the bot without a platform account. The message goes through the full path
 * (moderation, parsing, permissions, rate limits, engines, audit) as a user of the given
 * level; the answer is what the bot would say. It runs dry (events/routed-event.ts): the user
 * is synthetic (`sim:<portal user id>`), identity built-ins are refused, and no strike, use
 * count, moderation webhook, overlay publish, session or platform action happens; rate limits
 * use buckets of their own. A rate-limited try answers 429 + Retry-After.
 */
export const simulateRoutes = createApiApp<RouteEnv>();

simulateRoutes.openapi(
  communityRoute({
    method: "post",
    path: "/{communityId}/simulate",
    tags: ["simulate"],
    summary: "Send a chat message as a given user and role; returns what the bot would say",
    permission: "simulate:run",
    request: {
      params: CommunityParams,
      body: { required: true, content: { "application/json": { schema: SimulateInput } } },
    },
    responses: {
      200: { description: "The outcome", content: { "application/json": { schema: envelopeOf(SimulateResult) } } },
      ...errorResponses(400, 401, 403, 404, 429),
    },
  }),
  async (c) => {
    const { communityId } = c.req.valid("param");
    const input = c.req.valid("json");
    const db = createDb(c.env.DB);
    const links = await db
      .select({ platform: communityPlatforms.platform, platformId: communityPlatforms.platformId })
      .from(communityPlatforms)
      .where(eq(communityPlatforms.communityId, communityId));
    const link = links.find((l) => l.platform === (input.platform ?? l.platform));
    const platform = input.platform ?? link?.platform ?? "discord";
    const principal = c.get("principal");
    const event: SimulatedEvent = {
      simulated: true,
      wouldDo: [],
      id: `sim-${crypto.randomUUID()}`,
      platform,
      type: "message",
      communityPlatformId: link?.platformId ?? communityId,
      channel: { id: input.channelId, name: input.channelId },
      user: {
        username: input.username ?? principal.displayName,
        roles: [],
        badges: [],
        ...flagsForLevel(input.level),
        id: simulatedUserId(principal.userId, input.userId),
      },
      text: input.text,
      data: { simulated: true },
      reply: { kind: "none" },
      receivedAt: new Date().toISOString(),
    };
    const result = await processEvent(c.env, c.executionCtx, communityId, event);
    // Who tried what, marked simulated (stats leave it out); never on the answer's path.
    c.executionCtx.waitUntil(
      recordAudit(c.env.DB, {
        actorType: principal.via === "api_key" ? "api_key" : "user",
        actorId: principal.apiKeyId ?? principal.userId,
        communityId,
        action: "simulate.run",
        targetType: "simulated_user",
        targetId: event.user.id,
        outcome: "success",
        details: {
          simulated: true,
          text: input.text.slice(0, 200),
          level: input.level,
          platform,
          status: result.status,
        },
        requestId: c.get("requestId" as never) ?? null,
      }),
    );
    if (result.status === "rate_limited") throw new TooManyRequests((result.retryAfterMs ?? 1000) / 1000);
    const actions = result.actions ?? [];
    return ok(c, {
      status: result.status,
      simulated: true as const,
      user: { id: event.user.id, username: event.user.username },
      replies: result.replies,
      actions,
      // Enforcement is the webhooks worker's job and a try never reaches it: actions are "would do".
      wouldDo: [...actions.map((a) => `${a.type} the message or user (${a.reason ?? "moderation"})`), ...event.wouldDo],
      execution: result.execution ?? null,
    });
  },
);
