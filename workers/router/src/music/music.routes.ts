import { z } from "@hono/zod-openapi";
import { publicBaseUrl } from "../../../../lib/connections/oauth.ts";
import { BadRequest, HttpError, NotFound } from "../../../../lib/http/errors.ts";
import { createApiApp, envelopeOf, errorResponses, jsonContent, ok } from "../../../../lib/http/openapi.ts";
import { log } from "../../../../lib/log.ts";
import { released } from "../../../../lib/rpc.ts";
import { spotifyFor } from "../../../../lib/spotify/api.ts";
import { SpotifyError } from "../../../../lib/spotify/config.ts";
import { newVerifier, spotifyAuthorizeUrl } from "../../../../lib/spotify/oauth.ts";
import { clearPending } from "../../../../lib/spotify/requests.ts";
import { getAccount, removeAccount } from "../../../../lib/spotify/store.ts";
import { CommunityParams, communityRoute, type RouteEnv } from "../api.ts";
import { issueState } from "../connections/oauth-state.ts";
import type { Env } from "../env.ts";
import { auditChange } from "../marketplace/audit.ts";
import { AuthorizeUrl, MusicView } from "./music.schema.ts";
import { musicView } from "./view.ts";

/** The Music page's API: connect Spotify (admins), now playing and requests, skip and clear (moderators). */
export const musicRoutes = createApiApp<RouteEnv>();

export const spotifyRedirectUri = (env: Env) => `${publicBaseUrl(env)}/connect/spotify/callback`;

/** Tells the community's ModuleScheduler to poll now playing (on) or stop (off); best effort. */
export async function spotifyPoll(env: Env, communityId: string, on: boolean) {
  try {
    released(await env.MODULES?.spotifyPoll(communityId, on));
  } catch (err) {
    log.warn("spotify poll not switched", { communityId, on, error: err });
  }
}

/** Spotify's refusal, as the API says it: its words on a 502; missing settings are the operator's (400). */
function refused(err: unknown): never {
  if (err instanceof SpotifyError && err.status === 0) throw new BadRequest(err.message);
  if (err instanceof SpotifyError) throw new HttpError(502, err.message);
  throw err;
}

musicRoutes.openapi(
  communityRoute({
    method: "get",
    path: "/{communityId}/music",
    tags: ["music"],
    summary: "The Music page: Spotify connection, now playing and song requests; the YouTube Music queue",
    permission: "modules:read",
    request: { params: CommunityParams },
    responses: {
      200: { description: "The view", ...jsonContent(envelopeOf(MusicView)) },
      ...errorResponses(400, 401, 403, 404),
    },
  }),
  async (c) => ok(c, await musicView(c.env, c.req.valid("param").communityId)),
);

musicRoutes.openapi(
  communityRoute({
    method: "post",
    path: "/{communityId}/music/spotify/connect",
    tags: ["music"],
    summary:
      "Start connecting Spotify (Authorization Code with PKCE): the URL to send the browser to, valid 10 minutes, single use",
    permission: "modules:write",
    request: { params: CommunityParams },
    responses: {
      200: { description: "Where to authorise", ...jsonContent(envelopeOf(AuthorizeUrl)) },
      ...errorResponses(400, 401, 403, 404),
    },
  }),
  async (c) => {
    const { communityId } = c.req.valid("param");
    if (!c.env.SPOTIFY_CLIENT_ID) throw new BadRequest("SPOTIFY_CLIENT_ID is not set on this instance");
    // PKCE: the verifier is kept (sealed) with the state, the same store as the platforms' connects.
    const verifier = newVerifier();
    const state = await issueState(c.env, {
      userId: c.get("principal").userId,
      communityId,
      target: "spotify",
      verifier,
    });
    const authorizeUrl = await spotifyAuthorizeUrl(c.env, { state, verifier, redirectUri: spotifyRedirectUri(c.env) });
    return ok(c, { authorizeUrl }, "Open authorizeUrl in the browser");
  },
);

musicRoutes.openapi(
  communityRoute({
    method: "delete",
    path: "/{communityId}/music/spotify",
    tags: ["music"],
    summary: "Disconnect Spotify: the grant is deleted (revoke it at spotify.com/account/apps too)",
    permission: "modules:write",
    request: { params: CommunityParams },
    responses: {
      200: { description: "Disconnected", ...jsonContent(envelopeOf(z.object({ disconnected: z.literal(true) }))) },
      ...errorResponses(400, 401, 403, 404),
    },
  }),
  async (c) => {
    const { communityId } = c.req.valid("param");
    const row = await getAccount(c.env, communityId);
    if (!row) throw new NotFound("Spotify is not connected here");
    await removeAccount(c.env, communityId);
    await spotifyPoll(c.env, communityId, false);
    auditChange(c, {
      communityId,
      action: "music.spotify.disconnect",
      targetType: "spotify",
      targetId: row.accountId,
      details: { from: { accountId: row.accountId, accountName: row.accountName, scopes: row.scopes }, to: null },
    });
    return ok(c, { disconnected: true as const }, "Spotify disconnected");
  },
);

const Done = z.object({ cleared: z.number().int().optional(), skipped: z.boolean().optional() });

musicRoutes.openapi(
  communityRoute({
    method: "post",
    path: "/{communityId}/music/spotify/{action}",
    tags: ["music"],
    summary: "Skip to the next song, or clear the song requests (what !skip and !srclear do)",
    permission: "music:control",
    request: { params: CommunityParams.extend({ action: z.enum(["skip", "clear"]) }) },
    responses: {
      200: { description: "Done", ...jsonContent(envelopeOf(Done)) },
      ...errorResponses(400, 401, 403, 404),
    },
  }),
  async (c) => {
    const { communityId, action } = c.req.valid("param");
    const details = { via: "portal" };
    if (action === "clear") {
      const cleared = await clearPending(c.env.DB, communityId);
      auditChange(c, {
        communityId,
        action: "music.spotify.clear",
        targetType: "spotify",
        targetId: communityId,
        details: { ...details, cleared },
      });
      return ok(c, { cleared }, `Cleared ${cleared} requests`);
    }
    let spotify: Awaited<ReturnType<typeof spotifyFor>>;
    try {
      spotify = await spotifyFor(c.env, communityId);
      if (!spotify) throw new NotFound("Spotify is not connected here");
      await spotify.next();
    } catch (err) {
      refused(err);
    }
    await spotifyPoll(c.env, communityId, true);
    auditChange(c, {
      communityId,
      action: "music.spotify.skip",
      targetType: "spotify",
      targetId: communityId,
      details,
    });
    return ok(c, { skipped: true }, "Skipped");
  },
);
