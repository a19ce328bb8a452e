import type { MiddlewareHandler } from "hono";
import { cors } from "hono/cors";
import { log } from "../log.ts";
import { Forbidden } from "./errors.ts";

/** The setting: which other origins may call the API from a browser. */
export interface CorsConfig {
  /**
   * Comma-separated origins (`https://admin.example.com,https://tools.example.com`). Unset:
   * same-origin only (the portal is served from the API's own origin and needs no CORS).
   */
  CORS_ORIGINS?: string;
}

const parsed = new Map<string, ReadonlySet<string>>();

/** The allowed origins, normalised (`scheme://host[:port]`); `*` and malformed entries are dropped. */
export function allowedOrigins(setting: string | undefined): ReadonlySet<string> {
  const key = setting ?? "";
  let origins = parsed.get(key);
  if (!origins) {
    const set = new Set<string>();
    for (const entry of key
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean)) {
      // Credentials are allowed, so a wildcard (not a URL) would hand every site the caller's session.
      const url = URL.canParse(entry) ? new URL(entry) : null;
      if (!url || !/^https?:$/.test(url.protocol)) {
        log.warn("CORS_ORIGINS entry ignored: not an http(s) origin", { entry });
        continue;
      }
      set.add(url.origin);
    }
    origins = set;
    parsed.set(key, origins);
  }
  return origins;
}

const allowedCors = cors({
  origin: (origin) => origin, // reached only for an allowed origin (see apiCors)
  credentials: true,
  allowMethods: ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"],
  allowHeaders: ["Authorization", "Content-Type", "X-CSRF-Token", "X-Request-Id"],
  exposeHeaders: ["Retry-After", "X-Request-Id"],
  maxAge: 600,
});

/**
 * CORS for an API (mount once on `/api/*`, before auth and body limits: a preflight carries no
 * credentials and no body). Origins listed in `CORS_ORIGINS` get the CORS headers, credentials
 * included, on preflights (204) and on every answer, errors too. Any other origin gets no CORS
 * header at all, so the browser keeps the answer from the page, and its preflight is refused
 * with 403. Same-origin calls (the portal) need no CORS and are untouched.
 */
export function apiCors(): MiddlewareHandler<{ Bindings: CorsConfig }> {
  return async (c, next) => {
    const origin = c.req.header("origin");
    if (!origin) return next();
    if (allowedOrigins(c.env.CORS_ORIGINS).has(origin)) return allowedCors(c, next);
    if (c.req.method === "OPTIONS" && c.req.header("access-control-request-method")) {
      throw new Forbidden("This origin may not call the API (see CORS_ORIGINS)");
    }
    return next();
  };
}
