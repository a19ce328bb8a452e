import type { Context } from "hono";
import { recordAudit } from "../../../../lib/audit.ts";
import type { Principal } from "../../../../lib/auth/permissions.ts";
import { publicBaseUrl } from "../../../../lib/connections/oauth.ts";
import { BadRequest, Forbidden } from "../../../../lib/http/errors.ts";
import { log } from "../../../../lib/log.ts";
import { whoAmI } from "../../../../lib/spotify/api.ts";
import { SpotifyError } from "../../../../lib/spotify/config.ts";
import { exchangeCode } from "../../../../lib/spotify/oauth.ts";
import { saveAccount } from "../../../../lib/spotify/store.ts";
import type { AppEnv } from "../env.ts";
import { spotifyPoll, spotifyRedirectUri } from "./music.routes.ts";

/**
 * The end of "Connect Spotify", once `GET /connect/spotify/callback` (connections/callback.routes.ts,
 * the platforms' callback) has checked the state: this user's, unused, under 10 minutes old. The
 * code is exchanged with the state's PKCE verifier; the browser then goes back to the portal's
 * Music page, with the reason when Spotify or the person said no.
 */
export async function finishSpotifyConnect(
  c: Context<AppEnv>,
  principal: Principal,
  claimed: { communityId: string | null; verifier: string | null },
  q: { code?: string; error?: string },
) {
  const back = (params: Record<string, string>) =>
    c.redirect(`${publicBaseUrl(c.env)}/#/music?${new URLSearchParams(params)}`, 302);
  if (q.error) return back({ error: q.error === "access_denied" ? "Spotify access was not granted" : q.error });
  if (!q.code) throw new BadRequest("The callback carries no code");
  const { communityId, verifier } = claimed;
  // Both are stored by every Spotify connect (music.routes.ts); a row without them is no such connect.
  if (!communityId || !verifier)
    throw new BadRequest("This authorisation is unknown, expired or already used: start again");
  // Still an admin there? The role may have changed in the ten minutes since the start.
  if (!(await c.env.IDENTITY.authorize(principal, communityId, "modules:write", null))) {
    throw new Forbidden("You may no longer connect Spotify here");
  }
  try {
    const tokens = await exchangeCode(c.env, q.code, verifier, spotifyRedirectUri(c.env));
    const me = await whoAmI(c.env, tokens.accessToken);
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
}
