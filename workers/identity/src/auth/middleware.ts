import type { Context, MiddlewareHandler } from "hono";
import { type Authenticator, requireAuth } from "../../../../lib/auth/hono.ts";
import { routeKit } from "../../../../lib/auth/routes.ts";
import type { AuthedEnv, Env } from "../env.ts";
import { authenticate, authenticateDetailed } from "./authenticate.ts";
import { authorize } from "./authorize.ts";

/** The identity worker answering its own questions (what the other workers reach over RPC). */
export const localAuth = (c: Context<{ Bindings: Env }>): Authenticator => ({
  authenticate: (credentials) => authenticate(c.env, credentials, c.executionCtx),
  authenticateDetailed: (credentials) => authenticateDetailed(c.env, credentials, c.executionCtx),
  authorize: (principal, communityId, permission, requestId) =>
    authorize(c.env, principal, communityId, permission, requestId),
});

/** Requires a session cookie (with CSRF token for writes) or an API key: 401, or 403 on CSRF. */
export function requireSignedIn(): MiddlewareHandler<AuthedEnv> {
  return requireAuth(localAuth as (c: Context) => Authenticator) as unknown as MiddlewareHandler<AuthedEnv>;
}

/**
 * The identity worker's route declarations (see lib/auth/routes.ts): every authenticated
 * route is declared with one of these, so auth, limits, scope and "community exists" are
 * applied in one place.
 */
export const { communityRoute, accountRoute } = routeKit(localAuth as (c: Context) => Authenticator);
