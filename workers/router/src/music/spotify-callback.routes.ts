import { Hono } from "hono";
import * as z from "zod";
import { recordAudit } from "../../../../lib/audit.ts";
import { credentialsOf } from "../../../../lib/auth/hono.ts";
import { publicBaseUrl } from "../../../../lib/connections/oauth.ts";
import { BadRequest, Forbidden, Unauthorized } from "../../../../lib/http/errors.ts";
import { log } from "../../../../lib/log.ts";
import { whoAmI } from "../../../../lib/spotify/api.ts";
import { SpotifyError } from "../../../../lib/spotify/config.ts";
import { claimAuthorization, exchangeCode } from "../../../../lib/spotify/oauth.ts";
import { saveAccount } from "../../../../lib/spotify/store.ts";
import type { AppEnv } from "../env.ts";
import { spotifyPoll, spotifyRedirectUri } from "./music.routes.ts";

const Query = z.object({
  state: z.string().regex(/^[0-9a-f]{64}$/, "state is not one WaddleBot issued"),
  code: z.string().min(1).max(1024).optional(),
  error: z.string().max(200).optional(),
});

/**
 * Spotify's redirect back, `GET /connect/spotify/callback?code&state` (the redirect URI registered
 * in the Spotify app). Mounted before the platforms' `/connect/:target/callback`. The state must be
 * one this instance issued to the signed-in user, unused and under 10 minutes old, else 400 and
 * nothing is stored; the code is exchanged with the state's PKCE verifier. The browser then goes
 * back to the portal's Music page, with the reason when Spotify or the person said no.
 */
export const spotifyCallbackRoutes = new Hono<AppEnv>();

spotifyCallbackRoutes.get("/connect/spotify/callback", async (c) => {
  const parsed = Query.safeParse(c.req.query());
  if (!parsed.success) throw new BadRequest("Invalid OAuth callback", parsed.error.issues);
  const q = parsed.data;
  const auth = await c.env.IDENTITY.authenticateDetailed(credentialsOf(c));
  if (!auth.principal) throw new Unauthorized("Sign in to the portal first, then connect again");
  const principal = auth.principal;

  const claimed = await claimAuthorization(c.env, q.state);
  if (!claimed) throw new BadRequest("This authorisation is unknown, expired or already used: start again");
  if (claimed.userId !== principal.userId) throw new BadRequest("This authorisation was started by someone else");
  const back = (params: Record<string, string>) =>
    c.redirect(`${publicBaseUrl(c.env)}/#/music?${new URLSearchParams(params)}`, 302);
  if (q.error) return back({ error: q.error === "access_denied" ? "Spotify access was not granted" : q.error });
  if (!q.code) throw new BadRequest("The callback carries no code");
  // Still an admin there? The role may have changed in the ten minutes since the start.
  if (!(await c.env.IDENTITY.authorize(principal, claimed.communityId, "modules:write", null))) {
    throw new Forbidden("You may no longer connect Spotify here");
  }
  try {
    const tokens = await exchangeCode(c.env, q.code, claimed.verifier, spotifyRedirectUri(c.env));
    const me = await whoAmI(c.env, tokens.accessToken);
    const communityId = claimed.communityId;
    await saveAccount(c.env, { communityId, ...me, tokens, connectedBy: principal.userId });
    await recordAudit(c.env.DB, {
      actorType: "user",
      actorId: principal.userId,
      communityId,
      action: "music.spotify.connect",
      targetType: "spotify",
      targetId: me.accountId,
      outcome: "success",
      details: { to: { accountId: me.accountId, accountName: me.accountName, scopes: tokens.scopes } },
    });
    await spotifyPoll(c.env, communityId, true);
    return back({ connected: "spotify" });
  } catch (err) {
    if (!(err instanceof SpotifyError)) throw err;
    log.warn("spotify callback refused", { status: err.status, error: err.message });
    return back({ error: err.message });
  }
});
