import { checks, healthRoutes } from "../../../lib/http/health.ts";
import type { Env } from "./env.ts";

/**
 * `/health` and `/health/detailed` of the webhooks worker: on its own URL for the platforms'
 * side, and through the `DELIVERY` binding (delivery.ts) for the router's System view, which has
 * no other way in.
 */
export const webhooksHealth = healthRoutes<Env>(
  "webhooks",
  {
    d1: (env) => checks.d1(env.DB),
    durableObject: (env) => checks.durableObject(env.DEDUPE),
    router: (env) => checks.service(env.ROUTER),
    identity: (env) => checks.service(env.IDENTITY),
  },
  (c) => c.env.IDENTITY,
);
