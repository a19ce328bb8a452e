import { z } from "@hono/zod-openapi";
import { recordAudit } from "../../../../lib/audit.ts";
import { authorizeUrl } from "../../../../lib/connections/oauth.ts";
import { getConnection } from "../../../../lib/connections/store.ts";
import { slackBotToken, twitchBotAuth } from "../../../../lib/connections/tokens.ts";
import { BadRequest, HttpError, NotFound } from "../../../../lib/http/errors.ts";
import { createApiApp, envelopeOf, errorResponses, jsonContent, ok } from "../../../../lib/http/openapi.ts";
import { sendChannelMessage } from "../../../../lib/platforms/discord.ts";
import { PlatformError } from "../../../../lib/platforms/http.ts";
import { postMessage } from "../../../../lib/platforms/slack.ts";
import { sendChatMessage } from "../../../../lib/platforms/twitch.ts";
import { CommunityParams, communityRoute, type RouteEnv } from "../api.ts";
import { AuthorizeUrl, Connection, PlatformParam, TestBody } from "./connections.schema.ts";
import { disconnect } from "./lifecycle.ts";
import { issueState } from "./oauth-state.ts";
import { connectionsView } from "./view.ts";

/** Admin API: a community's OAuth connections to Discord, Twitch and Slack. */
export const connectionsRoutes = createApiApp<RouteEnv>();

/** Missing client settings are the operator's to fix (400); a platform saying no is a 502 with its words. */
function platformFailure(err: unknown): never {
  if (err instanceof PlatformError && err.status === 0) throw new BadRequest(err.message);
  if (err instanceof PlatformError) throw new HttpError(502, `The platform refused: ${err.message}`);
  throw err;
}

connectionsRoutes.openapi(
  communityRoute({
    method: "get",
    path: "/{communityId}/connections",
    tags: ["connections"],
    summary: "The community's platform connections: account, status, granted and missing scopes, last event",
    permission: "platforms:read",
    request: { params: CommunityParams },
    responses: {
      200: { description: "One entry per platform", ...jsonContent(envelopeOf(z.array(Connection))) },
      ...errorResponses(400, 401, 403, 404),
    },
  }),
  async (c) => ok(c, await connectionsView(c.env, c.req.valid("param").communityId)),
);

connectionsRoutes.openapi(
  communityRoute({
    method: "post",
    path: "/{communityId}/connections/{platform}",
    tags: ["connections"],
    summary: "Start connecting a platform: the URL to send the browser to (valid 10 minutes, single use)",
    permission: "platforms:write",
    request: { params: PlatformParam },
    responses: {
      200: { description: "Where to authorise", ...jsonContent(envelopeOf(AuthorizeUrl)) },
      ...errorResponses(400, 401, 403, 404),
    },
  }),
  async (c) => {
    const { communityId, platform } = c.req.valid("param");
    const principal = c.get("principal");
    // Built before the state is stored: a missing client setting stores nothing.
    try {
      authorizeUrl(c.env, platform, "probe");
    } catch (err) {
      platformFailure(err);
    }
    const state = await issueState(c.env, { userId: principal.userId, communityId, target: platform });
    return ok(c, { authorizeUrl: authorizeUrl(c.env, platform, state) }, "Open authorizeUrl in the browser");
  },
);

connectionsRoutes.openapi(
  communityRoute({
    method: "post",
    path: "/{communityId}/connections/{platform}/test",
    tags: ["connections"],
    summary: "Send a test message with the community's own connection",
    permission: "platforms:write",
    request: { params: PlatformParam, body: { required: false, ...jsonContent(TestBody) } },
    responses: {
      200: { description: "Sent", ...jsonContent(envelopeOf(z.object({ sent: z.literal(true) }))) },
      ...errorResponses(400, 401, 403, 404),
    },
  }),
  async (c) => {
    const { communityId, platform } = c.req.valid("param");
    const body = (c.req.valid("json") as z.infer<typeof TestBody> | undefined) ?? {};
    const row = await getConnection(c.env, communityId, platform);
    if (!row) throw new NotFound(`This community has no ${platform} connection`);
    const text = body.text ?? "WaddleBot test message: this connection works.";
    if (platform !== "twitch" && !body.channelId) throw new BadRequest(`A ${platform} test message needs a channelId`);
    try {
      if (platform === "twitch") {
        await sendChatMessage(c.env, row.accountId, text, undefined, await twitchBotAuth(c.env));
      } else if (platform === "slack") {
        await postMessage(c.env, await slackBotToken(c.env, { communityId }), body.channelId!, { text });
      } else {
        await sendChannelMessage(c.env, body.channelId!, { content: text });
      }
    } catch (err) {
      platformFailure(err);
    }
    return ok(c, { sent: true as const }, "Test message sent");
  },
);

connectionsRoutes.openapi(
  communityRoute({
    method: "delete",
    path: "/{communityId}/connections/{platform}",
    tags: ["connections"],
    summary: "Disconnect: revoke the grant at the platform, delete its EventSub subscriptions, remove the link",
    permission: "platforms:write",
    request: { params: PlatformParam },
    responses: {
      200: {
        description: "Disconnected (problems at the platform are listed; the link is removed anyway)",
        ...jsonContent(envelopeOf(z.object({ problems: z.array(z.string()) }))),
      },
      ...errorResponses(400, 401, 403, 404),
    },
  }),
  async (c) => {
    const { communityId, platform } = c.req.valid("param");
    const row = await getConnection(c.env, communityId, platform);
    if (!row) throw new NotFound(`This community has no ${platform} connection`);
    const problems = await disconnect(c.env, row);
    const principal = c.get("principal");
    await recordAudit(c.env.DB, {
      actorType: principal.via === "api_key" ? "api_key" : "user",
      actorId: principal.userId,
      communityId,
      action: "connection.disconnect",
      targetType: platform,
      targetId: row.accountId,
      outcome: "success",
      details: {
        from: { accountId: row.accountId, accountName: row.accountName, scopes: row.scopes },
        to: null,
        problems,
      },
    });
    return ok(c, { problems }, problems.length ? "Disconnected, with problems at the platform" : "Disconnected");
  },
);
