import { createRoute, z } from "@hono/zod-openapi";
import { credentialsOf } from "../../../../lib/auth/hono.ts";
import { randomHex } from "../../../../lib/crypto/encoding.ts";
import { BadRequest, Forbidden, NotFound, Unauthorized } from "../../../../lib/http/errors.ts";
import { createApiApp, envelopeOf, errorResponses, ok } from "../../../../lib/http/openapi.ts";
import { ensurePlatformUser } from "../../../../lib/identity/platform-users.ts";
import { log } from "../../../../lib/log.ts";
import { auditRequest } from "../audit/record.ts";
import { sessionCookies } from "../auth/login.routes.ts";
import { safeEqual } from "../crypto.ts";
import { type AppEnv, publicUrl } from "../env.ts";
import { linkIdentity } from "../linking/merge.ts";
import { PlatformName } from "../schemas.ts";
import { OAUTH_STATE_COOKIE, parseCookies, SESSION_COOKIE, serializeCookie } from "../sessions/cookies.ts";
import { createSession, findSession } from "../sessions/sessions.repo.ts";
import { PROVIDERS } from "./providers.ts";

/** Login (or, when already signed in, account linking) with Discord, Twitch or Slack. */
export const oauthRoutes = createApiApp<AppEnv>();

const Params = z.object({ platform: PlatformName });
const CallbackQuery = z.object({
  code: z.string().max(2000).optional(),
  state: z.string().max(200).optional(),
  error: z.string().max(200).optional(),
});
const STATE_PATH = "/api/v1/auth/oauth";
const redirectUri = (env: AppEnv["Bindings"], platform: string) =>
  `${publicUrl(env)}${STATE_PATH}/${platform}/callback`;

const Enabled = z
  .object({ discord: z.boolean(), twitch: z.boolean(), slack: z.boolean() })
  .openapi("OAuthLogins", { description: "Which platform logins this deployment has credentials for" });

oauthRoutes.openapi(
  createRoute({
    method: "get",
    path: "/providers",
    tags: ["auth"],
    summary: "Which platform logins are enabled (public: the sign-in page shows only these buttons)",
    responses: {
      200: { description: "Enabled logins", content: { "application/json": { schema: envelopeOf(Enabled) } } },
    },
  }),
  (c) =>
    ok(c, {
      discord: PROVIDERS.discord.client(c.env) !== null,
      twitch: PROVIDERS.twitch.client(c.env) !== null,
      slack: PROVIDERS.slack.client(c.env) !== null,
    }),
);

oauthRoutes.openapi(
  createRoute({
    method: "get",
    path: "/{platform}/start",
    tags: ["auth"],
    summary: "Redirect to the platform's consent page; the state is bound to a cookie",
    request: { params: Params },
    responses: { 302: { description: "To the platform" }, ...errorResponses(400, 404) },
  }),
  (c) => {
    const { platform } = c.req.valid("param");
    const provider = PROVIDERS[platform];
    const client = provider.client(c.env);
    if (!client) throw new NotFound(`Login with ${platform} is not configured`);
    const state = randomHex(32);
    c.header(
      "set-cookie",
      serializeCookie(OAUTH_STATE_COOKIE, `${platform}.${state}`, { maxAge: 600, path: STATE_PATH }),
    );
    return c.redirect(provider.authorizeUrl(c.env, client.id, redirectUri(c.env, platform), state), 302);
  },
);

oauthRoutes.openapi(
  createRoute({
    method: "get",
    path: "/{platform}/callback",
    tags: ["auth"],
    summary: "The platform sends the browser back here: sign in (or link to the signed-in user)",
    request: { params: Params, query: CallbackQuery },
    responses: { 302: { description: "Signed in; to the portal" }, ...errorResponses(400, 401, 403, 404, 409) },
  }),
  async (c) => {
    const { platform } = c.req.valid("param");
    const { code, state, error } = c.req.valid("query");
    const provider = PROVIDERS[platform];
    const client = provider.client(c.env);
    if (!client) throw new NotFound(`Login with ${platform} is not configured`);
    const cookies = parseCookies(c.req.header("cookie"));
    const expected = cookies[OAUTH_STATE_COOKIE];
    if (!state || !expected || !safeEqual(`${platform}.${state}`, expected)) {
      throw new Forbidden("The login state does not match this browser; start again");
    }
    if (error || !code) throw new BadRequest(`${platform} did not grant access${error ? ` (${error})` : ""}`);

    let who: { id: string; username: string };
    try {
      const token = await provider.exchange(c.env, client, code, redirectUri(c.env, platform));
      who = await provider.user(c.env, token, client.id);
    } catch (err) {
      log.warn("oauth login failed", { platform, error: err });
      throw new Unauthorized(`Login with ${platform} failed`);
    }

    // Already signed in: this proves the platform account is theirs, so link it to them.
    const current = cookies[SESSION_COOKIE] ? await findSession(c.env, cookies[SESSION_COOKIE]) : null;
    const identity = { platform, platformUserId: who.id, username: who.username };
    const userId = current?.user.id ?? (await ensurePlatformUser(c.env.DB, platform, who.id, who.username));
    // Links (merging users if needed) and marks the identity verified; 409 for two portal accounts.
    const linked = await linkIdentity(c.env.DB, userId, identity);
    await auditRequest(c, {
      actorType: "user",
      actorId: linked.userId,
      action: current ? "identity.link" : "auth.login",
      targetType: "identity",
      targetId: `${platform}:${who.id}`,
      outcome: "success",
      details: { method: `oauth:${platform}`, mergedUserId: linked.mergedUserId },
    });
    c.header("set-cookie", serializeCookie(OAUTH_STATE_COOKIE, "", { maxAge: 0, path: STATE_PATH }), { append: true });
    if (!current || linked.userId !== current.user.id) {
      const session = await createSession(c.env, linked.userId, credentialsOf(c).ip);
      for (const cookie of await sessionCookies(session.token)) c.header("set-cookie", cookie, { append: true });
    }
    return c.redirect(`${publicUrl(c.env)}/`, 302);
  },
);
