import { Hono } from "hono";
import type { AppEnv } from "./env.ts";

/**
 * The identity worker's HTTP API, served on the router's origin too, so the portal (and any
 * client) talks to one origin: cookies, CSRF and CORS stay simple. The request goes through
 * the service binding unchanged (same worker-to-worker call as RPC, no network hop); the
 * identity worker owns these paths and their checks.
 */
export const IDENTITY_PATHS = [
  "/api/v1/auth/*",
  "/api/v1/keys",
  "/api/v1/keys/*",
  "/api/v1/audit",
  "/api/v1/audit/*",
  "/api/v1/me/*",
  "/api/v1/service-accounts",
  "/api/v1/service-accounts/*",
  "/api/v1/communities/:communityId/members",
  "/api/v1/communities/:communityId/members/*",
] as const;

export const identityProxy = new Hono<AppEnv>();
for (const path of IDENTITY_PATHS) {
  identityProxy.all(path, (c) => c.env.IDENTITY.fetch(c.req.raw));
}
