import type { Context, MiddlewareHandler } from "hono";
import { Forbidden, Unauthorized } from "../http/errors.ts";
import type { Permission, Principal } from "./permissions.ts";

/** The caller's credentials as they cross RPC to the identity worker. */
export interface Credentials {
  authorization: string | null;
  cookie: string | null;
  /** For CSRF checks on cookie-authenticated, state-changing requests. */
  method: string;
  origin: string | null;
  csrfToken: string | null;
  ip: string | null;
  requestId: string | null;
}

export function credentialsOf(c: Context): Credentials {
  return {
    authorization: c.req.header("authorization") ?? null,
    cookie: c.req.header("cookie") ?? null,
    method: c.req.method,
    origin: c.req.header("origin") ?? null,
    csrfToken: c.req.header("x-csrf-token") ?? null,
    ip: c.req.header("cf-connecting-ip") ?? null,
    requestId: c.req.header("x-request-id") ?? ((c.get("requestId" as never) as string | undefined) || null),
  };
}

/** Why authentication found no principal: nothing presented, a bad credential, or a CSRF failure (→ 403). */
export type AuthFailure = "missing" | "invalid" | "csrf";
export type AuthResult = { principal: Principal; failure?: undefined } | { principal: null; failure: AuthFailure };

/** The two questions every admin endpoint asks; the identity worker answers them. */
export interface Authenticator {
  authenticate(credentials: Credentials): Promise<Principal | null>;
  /** Like authenticate, but says why there is no principal (a CSRF failure answers 403, not 401). */
  authenticateDetailed(credentials: Credentials): Promise<AuthResult>;
  authorize(
    principal: Principal,
    communityId: string,
    permission: Permission,
    requestId?: string | null,
  ): Promise<boolean>;
}

export type AuthVariables = { principal: Principal };

/**
 * Requires a signed-in caller (session cookie or API key): 401 without one, 403 when a
 * cookie-authenticated write fails the CSRF check.
 */
export function requireAuth(auth: (c: Context) => Authenticator): MiddlewareHandler<{ Variables: AuthVariables }> {
  return async (c, next) => {
    const result = await auth(c).authenticateDetailed(credentialsOf(c));
    if (result.failure === "csrf") throw new Forbidden("CSRF check failed: send the X-CSRF-Token header");
    if (!result.principal) throw new Unauthorized();
    c.set("principal", result.principal);
    await next();
  };
}
