import { WorkerEntrypoint } from "cloudflare:workers";
import { type ChatEvent, ChatEventSchema, type EventOutcome } from "../../../lib/events/chat-event.ts";
import { checks, healthRoutes } from "../../../lib/http/health.ts";
import { createApiApp, registerSecurity } from "../../../lib/http/openapi.ts";
import type { RouterRpc } from "../../../lib/rpc.ts";
import { communitiesRoutes } from "./communities/communities.routes.ts";
import type { AppEnv, Env } from "./env.ts";
import { handleEvent } from "./events.ts";
import { overlaysRoutes } from "./overlays/overlays.routes.ts";
import { overlayPages } from "./overlays/pages.ts";

export { OverlayRoom } from "../../../durable-objects/overlay-room.ts";
export { RateLimiter } from "../../../durable-objects/rate-limiter.ts";

const app = createApiApp<AppEnv>();

app.route(
  "/",
  healthRoutes<Env>("router", {
    d1: (env) => checks.d1(env.DB),
    durableObject: (env) => checks.durableObject(env.RATE_LIMITER),
    identity: (env) => checks.service(env.IDENTITY),
  }),
);

app.route("/api/v1/communities", communitiesRoutes);
app.route("/api/v1/communities", overlaysRoutes);
app.route("/overlay", overlayPages);

registerSecurity(app);
app.doc31("/api/v1/openapi.json", {
  openapi: "3.1.0",
  info: { title: "WaddleBot admin API", version: "1.0.0" },
});

/**
 * The router worker. HTTP (admin API, portal, overlays) goes through `fetch`; the webhooks
 * worker calls `handleEvent` over RPC with an already-verified, normalised event.
 */
export default class Router extends WorkerEntrypoint<Env> implements RouterRpc {
  override fetch(request: Request): Response | Promise<Response> {
    return app.fetch(request, this.env, this.ctx);
  }

  async ping(): Promise<string> {
    return "pong";
  }

  async handleEvent(event: ChatEvent): Promise<EventOutcome> {
    return handleEvent(this.env, ChatEventSchema.parse(event));
  }
}
