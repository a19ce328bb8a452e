import { Hono } from "hono";
import type { AppEnv } from "./env.ts";

/**
 * The identity worker's HTTP API, served on the router's origin too, so the portal (and any
 * client) talks to one origin: cookies, CSRF and CORS stay simple. The request goes through
 * the service binding unchanged (same worker-to-worker call as RPC, no network hop); the
 * identity worker owns these paths and their checks.
 */
const IDENTITY_PATHS = [
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
  identityProxy.all(path, async (c) => {
    const request = c.req.raw;
    if (request.body === null) return c.env.IDENTITY.fetch(request);
    // Buffered, not streamed: the identity worker refuses many requests (401/403/404/429)
    // without reading the body, and a half-pumped stream then throws in this isolate
    // ("Can't read from request stream after response has been sent").
    return c.env.IDENTITY.fetch(new Request(request, { body: await request.arrayBuffer() }));
  });
}
