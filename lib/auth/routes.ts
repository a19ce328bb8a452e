import { createRoute, type RouteConfig, z } from "@hono/zod-openapi";
import { eq } from "drizzle-orm";
import type { Context, MiddlewareHandler } from "hono";
import type { RateLimiter } from "../../durable-objects/rate-limiter.ts";
import { recordAudit } from "../audit.ts";
import { createDb } from "../db/client.ts";
import { communities } from "../db/schema/index.ts";
import { BadRequest, Forbidden, NotFound, Unauthorized } from "../http/errors.ts";
import { SECURITY } from "../http/openapi.ts";
import { type ApiLimitConfig, chargeApiRequest } from "./api-limits.ts";
import { type Authenticator, type AuthVariables, credentialsOf } from "./hono.ts";
import { type AccountPermission, accountAllows, type Permission, type Principal } from "./permissions.ts";

/** What the guard needs from a worker's bindings (router and identity both have them). */
interface GuardBindings extends ApiLimitConfig {
  DB: D1Database;
  RATE_LIMITER: DurableObjectNamespace<RateLimiter>;
}
type GuardEnv = { Bindings: GuardBindings; Variables: AuthVariables };

/** A route as its file declares it: everything but the auth, which the kit adds. */
type Declared = Omit<RouteConfig, "security" | "middleware" | "path">;

const CommunityId = z.object({ communityId: z.uuid() });

/** `security` of a route only a signed-in person may call (see `sessionOnly`). */
const SESSION_ONLY: Record<string, string[]>[] = [{ session: [] }];

/** The OpenAPI extension naming a route's permission (tests and clients read it). */
export const PERMISSION_EXTENSION = "x-permission";

/** Authenticates (401; 403 on a CSRF failure) and counts the request against the caller's limit (429). */
async function signIn(c: Context<GuardEnv>, auth: Authenticator): Promise<Principal> {
  const result = await auth.authenticateDetailed(credentialsOf(c));
  if (result.failure === "csrf") throw new Forbidden("CSRF check failed: send the X-CSRF-Token header");
  if (!result.principal) throw new Unauthorized();
  await chargeApiRequest(c.env, result.principal);
  c.set("principal", result.principal);
  return result.principal;
}

/**
 * The one way an authenticated admin API route is declared (DESIGN.md: "route auth is applied
 * in one place, never per handler"). A route names its permission; the kit adds, in order:
 * authentication, the per-caller request limit, for community routes "the community exists"
 * (404 before any handler runs) and the permission decision, which includes the API key's
 * scopes. It also writes `security` and `x-permission` into the OpenAPI document.
 *
 * `auth` is how the worker reaches the identity decisions: RPC from the router, in-process in
 * the identity worker.
 */
export function routeKit(auth: (c: Context) => Authenticator) {
  const communityGuard =
    (permission: Permission): MiddlewareHandler<GuardEnv> =>
    async (c, next) => {
      const principal = await signIn(c, auth(c));
      // The id is checked here, not only by the route's params schema: the guard runs first.
      const parsed = CommunityId.safeParse({ communityId: c.req.param("communityId") });
      if (!parsed.success) throw new BadRequest("Invalid input", parsed.error.issues);
      const { communityId } = parsed.data;
      const found = await createDb(c.env.DB)
        .select({ id: communities.id })
        .from(communities)
        .where(eq(communities.id, communityId))
        .get();
      if (!found) throw new NotFound("No such community");
      const requestId = (c.get("requestId" as never) as string | undefined) ?? null;
      if (!(await auth(c).authorize(principal, communityId, permission, requestId))) {
        throw new Forbidden(`Needs ${permission} in this community (role and API key scopes)`);
      }
      await next();
    };

  const accountGuard =
    (permission: AccountPermission, sessionOnly: boolean): MiddlewareHandler<GuardEnv> =>
    async (c, next) => {
      const principal = await signIn(c, auth(c));
      // An API key (possibly narrowly scoped, possibly leaked) must not do what only the person may.
      if (sessionOnly && principal.via !== "session") {
        throw new Forbidden("Do this while signed in to the portal, not with an API key");
      }
      if (!accountAllows(principal, permission)) {
        await recordAudit(c.env.DB, {
          requestId: (c.get("requestId" as never) as string | undefined) ?? null,
          actorType: principal.serviceRole ? "service" : principal.via === "api_key" ? "api_key" : "user",
          actorId: principal.userId,
          communityId: null,
          action: "authorize",
          targetType: "permission",
          targetId: permission,
          outcome: "denied",
          details: { apiKeyId: principal.apiKeyId ?? null, serviceRole: principal.serviceRole ?? null },
        });
        throw new Forbidden(`Needs ${permission} (role and API key scopes)`);
      }
      await next();
    };

  return {
    /** A `/{communityId}/…` route: auth, limit, 404 for an unknown community, permission + scope. */
    communityRoute<P extends `/{communityId}${string}`, R extends Declared & { path: P; permission: Permission }>(
      config: R,
    ) {
      const { permission, ...route } = config;
      return createRoute({
        ...route,
        security: SECURITY,
        [PERMISSION_EXTENSION]: permission,
        middleware: [communityGuard(permission)] as const,
      });
    },
    /**
     * A route outside any community (keys, /me, audit, service accounts, event ingest): auth,
     * limit, permission + scope. `sessionOnly`: a portal session, never an API key (403), and the
     * document's `security` lists the session cookie alone.
     */
    accountRoute<P extends string, R extends Declared & { path: P; permission: AccountPermission; sessionOnly?: true }>(
      config: R,
    ) {
      const { permission, sessionOnly, ...route } = config;
      return createRoute({
        ...route,
        security: sessionOnly ? SESSION_ONLY : SECURITY,
        [PERMISSION_EXTENSION]: permission,
        middleware: [accountGuard(permission, sessionOnly === true)] as const,
      });
    },
  };
}
