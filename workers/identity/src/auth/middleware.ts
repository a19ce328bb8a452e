import type { Context, MiddlewareHandler } from "hono";
import { type Authenticator, credentialsOf } from "../../../../lib/auth/hono.ts";
import { Forbidden, Unauthorized } from "../../../../lib/http/errors.ts";
import type { AuthedEnv, Env } from "../env.ts";
import { authenticate, authenticateDetailed } from "./authenticate.ts";
import { authorize } from "./authorize.ts";

/** The identity worker answering its own questions (what the other workers reach over RPC). */
export const localAuth = (c: Context<{ Bindings: Env }>): Authenticator => ({
  authenticate: (credentials) => authenticate(c.env, credentials, c.executionCtx),
  authorize: (principal, communityId, permission, requestId) =>
    authorize(c.env, principal, communityId, permission, requestId),
});

/** Requires a session cookie (with CSRF token for writes) or an API key: 401, or 403 on CSRF. */
export function requireSignedIn(): MiddlewareHandler<AuthedEnv> {
  return async (c, next) => {
    const credentials = { ...credentialsOf(c), requestId: c.get("requestId") };
    const result = await authenticateDetailed(c.env, credentials, c.executionCtx);
    if (result.failure === "csrf") throw new Forbidden("CSRF check failed: send the X-CSRF-Token header");
    if (!result.principal) throw new Unauthorized();
    c.set("principal", result.principal);
    await next();
  };
}
