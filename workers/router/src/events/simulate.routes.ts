import { z } from "@hono/zod-openapi";
import { eq } from "drizzle-orm";
import { flagsForLevel, PERMISSION_LEVELS } from "../../../../lib/chat/permission-level.ts";
import { createDb } from "../../../../lib/db/client.ts";
import { communityPlatforms, PLATFORMS } from "../../../../lib/db/schema/index.ts";
import { BotReplySchema, type ChatEvent, ModerationActionSchema } from "../../../../lib/events/chat-event.ts";
import { TooManyRequests } from "../../../../lib/http/errors.ts";
import { createApiApp, envelopeOf, errorResponses, ok } from "../../../../lib/http/openapi.ts";
import { CommunityParams, communityRoute, type RouteEnv } from "../api.ts";
import { processEvent } from "./handle-event.ts";

const SimulateInput = z
  .object({
    text: z.string().trim().min(1).max(2_000).openapi({ example: '!so "two words"' }),
    level: z.enum(PERMISSION_LEVELS).default("everyone").openapi({ description: "The chat role to act as" }),
    platform: z.enum(PLATFORMS).optional().openapi({ description: "Default: the community's first linked platform" }),
    userId: z
      .string()
      .min(1)
      .max(64)
      .optional()
      .openapi({ description: "Platform user id to act as (default: sim-<your id>)" }),
    username: z.string().min(1).max(100).optional(),
    channelId: z.string().min(1).max(64).default("simulate"),
  })
  .openapi("SimulateInput");

const SimulateResult = z
  .object({
    status: z.string(),
    replies: z.array(BotReplySchema),
    actions: z.array(ModerationActionSchema),
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
 * level; the answer is what the bot would say. A rate-limited try answers 429 + Retry-After.
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
    const event: ChatEvent = {
      id: `sim-${crypto.randomUUID()}`,
      platform,
      type: "message",
      communityPlatformId: link?.platformId ?? communityId,
      channel: { id: input.channelId, name: input.channelId },
      user: {
        id: input.userId ?? `sim-${principal.userId}`,
        username: input.username ?? principal.displayName,
        roles: [],
        badges: [],
        ...flagsForLevel(input.level),
      },
      text: input.text,
      data: { simulated: true },
      reply: { kind: "none" },
      receivedAt: new Date().toISOString(),
    };
    const result = await processEvent(c.env, c.executionCtx, communityId, event);
    if (result.status === "rate_limited") throw new TooManyRequests((result.retryAfterMs ?? 1000) / 1000);
    return ok(c, {
      status: result.status,
      replies: result.replies,
      actions: result.actions ?? [],
      execution: result.execution ?? null,
    });
  },
);
