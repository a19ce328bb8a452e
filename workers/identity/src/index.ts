import { WorkerEntrypoint } from "cloudflare:workers";
import { checks, healthRoutes } from "../../../lib/http/health.ts";
import { createApiApp } from "../../../lib/http/openapi.ts";
import type { IdentityRpc } from "../../../lib/rpc.ts";
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
}
