import { authorizeUrl } from "../../../../lib/connections/oauth.ts";
import { missingScopes } from "../../../../lib/connections/scopes.ts";
import { getBot } from "../../../../lib/connections/store.ts";
import { BadRequest } from "../../../../lib/http/errors.ts";
import { createApiApp, envelopeOf, errorResponses, jsonContent, ok } from "../../../../lib/http/openapi.ts";
import { PlatformError } from "../../../../lib/platforms/http.ts";
import { accountRoute, type RouteEnv } from "../api.ts";
import { AuthorizeUrl, BotStatus } from "./connections.schema.ts";
import { issueState } from "./oauth-state.ts";

/** Admin API: the instance's Twitch bot account, authorised once by the instance owner. */
export const botRoutes = createApiApp<RouteEnv>();

botRoutes.openapi(
  accountRoute({
    method: "get",
    path: "/connections/twitch-bot",
    tags: ["connections"],
    summary: "The instance's Twitch bot account: who it is and which scopes it granted",
    permission: "bot:read",
    responses: {
      200: { description: "Bot status", ...jsonContent(envelopeOf(BotStatus)) },
      ...errorResponses(401, 403),
    },
  }),
  async (c) => {
    const bot = await getBot(c.env);
    return ok(c, {
      authorised: Boolean(bot && bot.status === "active"),
      userId: bot?.accountId ?? null,
      login: bot?.accountLogin ?? null,
      status: bot?.status ?? null,
      scopes: bot?.scopes ?? [],
      missing: missingScopes("twitch_bot", bot?.scopes ?? []),
    });
  },
);

botRoutes.openapi(
  accountRoute({
    method: "post",
    path: "/connections/twitch-bot",
    tags: ["connections"],
    summary: "Start authorising the instance's Twitch bot account (sign in to Twitch as the bot)",
    permission: "bot:write",
    sessionOnly: true,
    responses: {
      200: { description: "Where to authorise", ...jsonContent(envelopeOf(AuthorizeUrl)) },
      ...errorResponses(400, 401, 403),
    },
  }),
  async (c) => {
    try {
      authorizeUrl(c.env, "twitch_bot", "probe");
    } catch (err) {
      if (err instanceof PlatformError) throw new BadRequest(err.message);
      throw err;
    }
    const state = await issueState(c.env, {
      userId: c.get("principal").userId,
      communityId: null,
      target: "twitch_bot",
    });
    return ok(
      c,
      { authorizeUrl: authorizeUrl(c.env, "twitch_bot", state) },
      "Open authorizeUrl signed in to Twitch as the bot",
    );
  },
);
