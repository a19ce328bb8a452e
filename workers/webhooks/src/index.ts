import { createApp } from "../../../lib/http/app.ts";
import { checks, healthRoutes } from "../../../lib/http/health.ts";
import type { AppEnv, Env } from "./env.ts";

export { Deduplicator } from "../../../durable-objects/deduplicator.ts";

const app = createApp<AppEnv>();

app.route(
  "/",
  healthRoutes<Env>("webhooks", {
    d1: (env) => checks.d1(env.DB),
    durableObject: (env) => checks.durableObject(env.DEDUPE),
    router: (env) => checks.service(env.ROUTER),
    identity: (env) => checks.service(env.IDENTITY),
  }),
);

export default app;
