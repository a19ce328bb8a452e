import { z } from "@hono/zod-openapi";
import { and, eq } from "drizzle-orm";
import { createDb } from "../../../../lib/db/client.ts";
import { communityPlatforms, type Platform } from "../../../../lib/db/schema/index.ts";
import { BadRequest, HttpError, NotFound } from "../../../../lib/http/errors.ts";
import { createApiApp, envelopeOf, errorResponses, jsonContent, ok } from "../../../../lib/http/openapi.ts";
import { PlatformError } from "../../../../lib/platforms/http.ts";
import { registerDiscordCommands, subscribeBroadcaster } from "../../../../lib/platforms/setup.ts";
import { CommunityParams, communityRoute, type RouteEnv } from "../api.ts";
import { listCommandsFor } from "../commands/list.ts";
import type { Env } from "../env.ts";

/** The community's id on a platform, or 404 when it is not linked there. */
async function linkedId(env: Env, communityId: string, platform: Platform): Promise<string> {
  const link = await createDb(env.DB)
    .select({ platformId: communityPlatforms.platformId })
    .from(communityPlatforms)
    .where(and(eq(communityPlatforms.communityId, communityId), eq(communityPlatforms.platform, platform)))
    .get();
  if (!link) throw new NotFound(`This community is not linked to ${platform}`);
  return link.platformId;
}

/** A platform refusing (bad credentials, missing settings) is the caller's problem to fix: 502 with its words. */
function platformFailure(err: unknown): never {
  if (err instanceof PlatformError) throw new HttpError(502, `The platform refused: ${err.message}`);
  if (err instanceof Error && /is not set/.test(err.message)) throw new BadRequest(err.message);
  throw err;
}

/** Admin API: one-off set-up on the platforms, for the community's own server and channel. */
export const platformsRoutes = createApiApp<RouteEnv>();

platformsRoutes.openapi(
  communityRoute({
    method: "post",
    path: "/{communityId}/platforms/discord/commands",
    tags: ["platforms"],
    summary: "Register the slash commands in the community's Discord server (/waddlebot plus its own commands)",
    permission: "platforms:write",
    request: { params: CommunityParams },
    responses: {
      200: { description: "Registered", ...jsonContent(envelopeOf(z.object({ commands: z.array(z.string()) }))) },
      ...errorResponses(400, 401, 403, 404),
    },
  }),
  async (c) => {
    const { communityId } = c.req.valid("param");
    const guildId = await linkedId(c.env, communityId, "discord");
    const own = (await listCommandsFor(c.env, communityId, "owner")).filter((cmd) => cmd.prefix === "!");
    const commands = await registerDiscordCommands(c.env, { guildId, communityCommands: own }).catch(platformFailure);
    return ok(c, { commands }, `Registered ${commands.length} slash commands`);
  },
);

platformsRoutes.openapi(
  communityRoute({
    method: "post",
    path: "/{communityId}/platforms/twitch/subscriptions",
    tags: ["platforms"],
    summary: "Create the community's Twitch EventSub subscriptions (follows, subs, cheers, raids, chat, ...)",
    permission: "platforms:write",
    request: {
      params: CommunityParams,
      body: {
        required: true,
        ...jsonContent(
          z.object({
            callbackUrl: z.url({ protocol: /^https?$/ }).describe("…/twitch/eventsub on the webhooks worker"),
          }),
        ),
      },
    },
    responses: {
      200: {
        description: "One result per subscription type",
        ...jsonContent(
          envelopeOf(
            z.array(
              z.object({
                type: z.string(),
                status: z.enum(["created", "exists", "failed"]),
                error: z.string().optional(),
              }),
            ),
          ),
        ),
      },
      ...errorResponses(400, 401, 403, 404),
    },
  }),
  async (c) => {
    const { communityId } = c.req.valid("param");
    const { callbackUrl } = c.req.valid("json");
    const broadcasterId = await linkedId(c.env, communityId, "twitch");
    const results = await subscribeBroadcaster(c.env, broadcasterId, callbackUrl).catch(platformFailure);
    const failed = results.filter((r) => r.status === "failed").length;
    return ok(
      c,
      results.map(({ type, status, error }) => ({ type, status, error })),
      failed ? `${failed} subscriptions failed` : "Subscribed",
    );
  },
);
