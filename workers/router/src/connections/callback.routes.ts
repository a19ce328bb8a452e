import { Hono } from "hono";
import * as z from "zod";
import { recordAudit } from "../../../../lib/audit.ts";
import { credentialsOf } from "../../../../lib/auth/hono.ts";
import { invalidateCommunityCache } from "../../../../lib/communities/resolve.ts";
import { exchangeCode } from "../../../../lib/connections/exchange.ts";
import { publicBaseUrl } from "../../../../lib/connections/oauth.ts";
import { AlreadyLinked, saveBot, saveConnection } from "../../../../lib/connections/store.ts";
import type { OAuthTarget } from "../../../../lib/db/schema/index.ts";
import { BadRequest, Forbidden, NotFound, Unauthorized } from "../../../../lib/http/errors.ts";
import { log } from "../../../../lib/log.ts";
import { PlatformError } from "../../../../lib/platforms/http.ts";
import { released } from "../../../../lib/rpc.ts";
import type { AppEnv } from "../env.ts";
import { finishSpotifyConnect } from "../music/spotify-callback.ts";
import { afterConnect } from "./lifecycle.ts";
import { claimState } from "./oauth-state.ts";

const TARGETS: Record<string, OAuthTarget> = {
  discord: "discord",
  twitch: "twitch",
  slack: "slack",
  "twitch-bot": "twitch_bot",
  spotify: "spotify",
};

const Query = z.object({
  state: z.string().regex(/^[0-9a-f]{64}$/, "state is not one WaddleBot issued"),
  code: z.string().min(1).max(512).optional(),
  error: z.string().max(200).optional(),
  error_description: z.string().max(500).optional(),
  // Discord's bot install names the guild the bot was added to.
  guild_id: z
    .string()
    .regex(/^\d{1,20}$/)
    .optional(),
});
// Spotify's authorization codes run to a few hundred characters; the platforms' are short.
const SpotifyQuery = Query.extend({ code: z.string().min(1).max(1024).optional() });

/**
 * The OAuth callbacks, `GET /connect/{platform}/callback?code&state` (the redirect URL registered
 * with each platform; `/connect/spotify/callback` for a community's Spotify). The state must be
 * one this instance issued to the signed-in user for this target, unused and under 10 minutes old;
 * anything else is a 400 and nothing is stored. When the platform or the person refuses, the
 * browser goes back to the portal's Platforms page (Spotify: the Music page) with the reason.
 */
export const callbackRoutes = new Hono<AppEnv>();

callbackRoutes.get("/connect/:target/callback", async (c) => {
  const target = TARGETS[c.req.param("target")];
  if (!target) throw new NotFound("No such platform");
  const parsed = (target === "spotify" ? SpotifyQuery : Query).safeParse(c.req.query());
  if (!parsed.success) throw new BadRequest("Invalid OAuth callback", parsed.error.issues);
  const q = parsed.data;

  const auth = released(await c.env.IDENTITY.authenticateDetailed(credentialsOf(c)));
  if (!auth.principal) throw new Unauthorized("Sign in to the portal first, then connect again");
  const principal = auth.principal;

  const claimed = await claimState(c.env, q.state, target);
  if (!claimed) throw new BadRequest("This authorisation is unknown, expired or already used: start again");
  if (claimed.userId !== principal.userId) throw new BadRequest("This authorisation was started by someone else");
  if (target === "spotify") return finishSpotifyConnect(c, principal, claimed, q);

  const back = (params: Record<string, string>) =>
    c.redirect(`${publicBaseUrl(c.env)}/#/platforms?${new URLSearchParams(params)}`, 302);
  const label = target === "twitch_bot" ? "twitch-bot" : target;

  if (q.error) return back({ connect: label, error: q.error_description ?? q.error });
  if (!q.code) throw new BadRequest("The callback carries no code");

  // Still allowed? The role may have changed in the ten minutes since the start.
  const allowed =
    target === "twitch_bot"
      ? principal.globalRole === "admin" && !principal.serviceRole
      : Boolean(claimed.communityId) &&
        (await c.env.IDENTITY.authorize(principal, claimed.communityId!, "platforms:write", null));
  if (!allowed) throw new Forbidden("You may no longer connect platforms here");

  try {
    const grant = await exchangeCode(c.env, target, q.code);
    if (target === "discord" && q.guild_id && q.guild_id !== grant.accountId) {
      return back({ connect: label, error: "Discord named a different server than the one installed" });
    }
    if (target === "twitch_bot") {
      await saveBot(c.env, grant, principal.userId);
      await recordAudit(c.env.DB, {
        actorType: "user",
        actorId: principal.userId,
        communityId: null,
        action: "connection.bot_authorise",
        targetType: "twitch",
        targetId: grant.accountId,
        outcome: "success",
        details: { login: grant.accountLogin, scopes: grant.scopes },
      });
      return back({ connected: label });
    }
    const communityId = claimed.communityId!;
    const row = await saveConnection(c.env, { communityId, platform: target, grant, connectedBy: principal.userId });
    invalidateCommunityCache();
    const setup = await afterConnect(c.env, row);
    await recordAudit(c.env.DB, {
      actorType: "user",
      actorId: principal.userId,
      communityId,
      action: "connection.connect",
      targetType: target,
      targetId: grant.accountId,
      outcome: "success",
      details: { to: { accountId: grant.accountId, accountName: grant.accountName, scopes: grant.scopes }, setup },
    });
    return back({ connected: label, ...(setup.ok ? {} : { warning: setup.detail }) });
  } catch (err) {
    if (err instanceof AlreadyLinked) return back({ connect: label, error: err.message });
    if (err instanceof PlatformError) {
      log.warn("oauth callback refused by the platform", { target, status: err.status, error: err.message });
      return back({ connect: label, error: err.message });
    }
    throw err;
  }
});
