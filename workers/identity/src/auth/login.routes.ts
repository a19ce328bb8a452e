import { createRoute, z } from "@hono/zod-openapi";
import { eq } from "drizzle-orm";
import { credentialsOf } from "../../../../lib/auth/hono.ts";
import { scopeAllows } from "../../../../lib/auth/permissions.ts";
import { verifyPassword } from "../../../../lib/crypto/password.ts";
import { createDb } from "../../../../lib/db/client.ts";
import { userIdentities, users } from "../../../../lib/db/schema/index.ts";
import { Forbidden, Unauthorized } from "../../../../lib/http/errors.ts";
import { createApiApp, envelopeOf, errorResponses, ok, SECURITY } from "../../../../lib/http/openapi.ts";
import { auditRequest } from "../audit/record.ts";
import type { AuthedEnv } from "../env.ts";
import { Email, SessionInfo } from "../schemas.ts";
import { CSRF_COOKIE, parseCookies, SESSION_COOKIE, serializeCookie } from "../sessions/cookies.ts";
import { originAllowed } from "../sessions/csrf.ts";
import { createSession, csrfTokenFor, deleteSessionByToken } from "../sessions/sessions.repo.ts";
import { releaseAfterSuccess, reserveLoginAttempt } from "./login-limits.ts";
import { requireSignedIn } from "./middleware.ts";

// Checked against when the email is unknown, so a wrong email costs as long as a wrong password.
const DUMMY_HASH = "pbkdf2-sha256$100000$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";

const LoginBody = z.object({ email: Email, password: z.string().min(1).max(1024) }).openapi("LoginRequest");

export const loginRoutes = createApiApp<AuthedEnv>();

/** Sets the session and CSRF cookies on a response. */
export async function sessionCookies(token: string): Promise<string[]> {
  return [
    serializeCookie(SESSION_COOKIE, token),
    serializeCookie(CSRF_COOKIE, await csrfTokenFor(token), { httpOnly: false }),
  ];
}

loginRoutes.openapi(
  createRoute({
    method: "post",
    path: "/login",
    tags: ["auth"],
    summary: "Sign in with email and password; sets the wb_session cookie",
    request: { body: { content: { "application/json": { schema: LoginBody } }, required: true } },
    responses: {
      200: { description: "Signed in", content: { "application/json": { schema: envelopeOf(SessionInfo) } } },
      ...errorResponses(400, 401, 403, 429),
    },
  }),
  async (c) => {
    const { email, password } = c.req.valid("json");
    const { ip, origin } = credentialsOf(c);
    // Login CSRF: a foreign page must not sign the browser into someone else's account.
    if (!originAllowed(c.env, origin)) throw new Forbidden("Cross-origin login refused");
    // Counted before the hash (atomically, in the RateLimiter object): a burst cannot outrun it.
    const reservation = await reserveLoginAttempt(c.env, email, ip);
    const user = await createDb(c.env.DB).select().from(users).where(eq(users.email, email)).get();
    const valid = await verifyPassword(password, user?.passwordHash ?? DUMMY_HASH);
    if (!user || !valid || user.disabledAt) {
      // The failure that filled a window starts a lockout: audited once per lockout, per key.
      const lockouts = [
        ...(reservation.locksAccount ? [{ targetType: "email", targetId: email }] : []),
        ...(reservation.locksIp ? [{ targetType: "ip", targetId: ip ?? "unknown" }] : []),
      ];
      for (const target of lockouts) {
        await auditRequest(c, {
          actorType: "user",
          actorId: user?.id ?? null,
          action: "auth.lockout",
          ...target,
          outcome: "failure",
          details: { minutes: 15 },
        });
      }
      await auditRequest(c, {
        actorType: "user",
        actorId: user?.id ?? null,
        action: "auth.login",
        targetType: "email",
        targetId: email,
        outcome: "failure",
        details: { reason: user ? "bad credentials" : "unknown email" },
      });
      throw new Unauthorized("Wrong email or password");
    }
    await releaseAfterSuccess(c.env, email, ip, reservation);
    const session = await createSession(c.env, user.id, ip);
    await auditRequest(c, {
      actorType: "user",
      actorId: user.id,
      action: "auth.login",
      targetType: "session",
      targetId: session.id,
      outcome: "success",
      details: { method: "password" },
    });
    for (const cookie of await sessionCookies(session.token)) c.header("set-cookie", cookie, { append: true });
    return ok(c, await sessionInfo(c.env.DB, user, "session", session.token), "Signed in");
  },
);

loginRoutes.openapi(
  createRoute({
    method: "post",
    path: "/logout",
    tags: ["auth"],
    summary: "End the current session and clear its cookies",
    security: SECURITY,
    middleware: [requireSignedIn()] as const,
    responses: {
      200: { description: "Signed out", content: { "application/json": { schema: envelopeOf(z.null()) } } },
      ...errorResponses(401, 403),
    },
  }),
  async (c) => {
    const token = parseCookies(c.req.header("cookie"))[SESSION_COOKIE];
    if (token && c.get("principal").via === "session") await deleteSessionByToken(c.env, token);
    await auditRequest(c, {
      actorType: "user",
      actorId: c.get("principal").userId,
      action: "auth.logout",
      outcome: "success",
    });
    c.header("set-cookie", serializeCookie(SESSION_COOKIE, "", { maxAge: 0 }), { append: true });
    c.header("set-cookie", serializeCookie(CSRF_COOKIE, "", { maxAge: 0, httpOnly: false }), { append: true });
    return ok(c, null, "Signed out");
  },
);

loginRoutes.openapi(
  createRoute({
    method: "get",
    path: "/me",
    tags: ["auth"],
    summary: "Who am I: the signed-in user, their linked identities and the CSRF token",
    security: SECURITY,
    middleware: [requireSignedIn()] as const,
    responses: {
      200: { description: "The caller", content: { "application/json": { schema: envelopeOf(SessionInfo) } } },
      ...errorResponses(401),
    },
  }),
  async (c) => {
    const principal = c.get("principal");
    const user = await createDb(c.env.DB).select().from(users).where(eq(users.id, principal.userId)).get();
    if (!user) throw new Unauthorized();
    const token = principal.via === "session" ? parseCookies(c.req.header("cookie"))[SESSION_COOKIE] : undefined;
    // The same identities GET /me/identities shows only with identities:read: a narrower key
    // must not read them here instead (issue 10, item 4).
    const showIdentities = principal.via === "session" || scopeAllows(principal.scopes, "identities:read");
    return ok(c, await sessionInfo(c.env.DB, user, principal.via, token, showIdentities));
  },
);

/** The SessionInfo answer for a user. */
async function sessionInfo(
  d1: D1Database,
  user: typeof users.$inferSelect,
  via: "session" | "api_key",
  sessionToken?: string,
  withIdentities = true,
) {
  const identities = withIdentities
    ? await createDb(d1).select().from(userIdentities).where(eq(userIdentities.userId, user.id))
    : [];
  return {
    user: { id: user.id, email: user.email, displayName: user.displayName, globalRole: user.globalRole },
    via,
    csrfToken: sessionToken ? await csrfTokenFor(sessionToken) : null,
    identities: identities.map((i) => ({
      platform: i.platform,
      platformUserId: i.platformUserId,
      username: i.username,
      verifiedAt: i.verifiedAt?.toISOString() ?? null,
    })),
  };
}
