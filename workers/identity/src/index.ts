import { WorkerEntrypoint } from "cloudflare:workers";
import type { Credentials } from "../../../lib/auth/hono.ts";
import type { Permission, Principal } from "../../../lib/auth/permissions.ts";
import { checks, healthRoutes } from "../../../lib/http/health.ts";
import { createApiApp } from "../../../lib/http/openapi.ts";
import type { IdentityRpc } from "../../../lib/rpc.ts";
import { authenticate, authorize } from "./auth.ts";
import type { AppEnv, Env } from "./env.ts";

export { RateLimiter } from "../../../durable-objects/rate-limiter.ts";

const app = createApiApp<AppEnv>();

app.route(
  "/",
  healthRoutes<Env>("identity", {
    d1: (env) => checks.d1(env.DB),
    durableObject: (env) => checks.durableObject(env.RATE_LIMITER),
  }),
);

/** The identity worker: HTTP for login and the identity API, RPC for the other workers. */
export default class Identity extends WorkerEntrypoint<Env> implements IdentityRpc {
  override fetch(request: Request): Response | Promise<Response> {
    return app.fetch(request, this.env, this.ctx);
  }

  async ping(): Promise<string> {
    return "pong";
  }

  /** Who is calling (session cookie or API key), or null. */
  async authenticate(credentials: Credentials): Promise<Principal | null> {
    return authenticate(this.env, credentials, this.ctx);
  }

  /** May this principal do `permission` in this community? Denials are audited. */
  async authorize(principal: Principal, communityId: string, permission: Permission, requestId?: string | null) {
    return authorize(this.env, principal, communityId, permission, requestId);
  }
}
