import type { RateLimiter } from "../../durable-objects/rate-limiter.ts";
import { BadRequest, TooManyRequests } from "../http/errors.ts";
import { released } from "../rpc.ts";
import type { Principal } from "./permissions.ts";

/** The classes of API caller the seeds' hub limits: people (sessions, user keys) and each service role. */
type CallerClass = "user" | "core" | "action" | "trigger";

/**
 * Requests per minute per caller class (seeds, hub module: router 1000/min, AI 1000/min,
 * triggers 200/min). People and the `core` services get the router's figure; `action` covers
 * the modules such as AI; `trigger` is the event collectors. Override with `API_RATE_LIMITS`.
 */
export const DEFAULT_API_LIMITS: Record<CallerClass, number> = { user: 1000, core: 1000, action: 1000, trigger: 200 };
const WINDOW_MS = 60_000;

export interface ApiLimitConfig {
  /** e.g. `user=1000,trigger=200`: requests per minute per API key or session; unnamed classes keep the default. */
  API_RATE_LIMITS?: string;
}

/** Parses `API_RATE_LIMITS`; a malformed value is a deployment error and fails loudly, not open. */
export function apiLimits(env: ApiLimitConfig): Record<CallerClass, number> {
  const limits = { ...DEFAULT_API_LIMITS };
  for (const part of (env.API_RATE_LIMITS ?? "").split(",")) {
    if (!part.trim()) continue;
    const [name, value] = part.split("=").map((s) => s.trim());
    const n = Number(value);
    if (!name || !(name in limits) || !Number.isInteger(n) || n < 1) {
      throw new Error(`API_RATE_LIMITS: cannot read "${part}" (expected e.g. user=1000,trigger=200)`);
    }
    limits[name as CallerClass] = n;
  }
  return limits;
}

const callerClass = (p: Principal): CallerClass => p.serviceRole ?? "user";

/**
 * The caller's own window: one per API key, one per session (a person's portal tab and their
 * script do not share a budget), never one per user id across keys. Sharded by that key, so
 * no limiter object is hot.
 */
function callerKey(p: Principal): string | null {
  if (p.via === "api_key" && p.apiKeyId) return `api:key:${p.apiKeyId}`;
  if (p.sessionId) return `api:session:${p.sessionId}`;
  return null;
}

/** Counts one API request for the principal in the RateLimiter DO; 429 with Retry-After once over. */
export async function chargeApiRequest(
  env: ApiLimitConfig & { RATE_LIMITER: DurableObjectNamespace<RateLimiter> },
  principal: Principal,
): Promise<void> {
  const key = callerKey(principal);
  if (!key) throw new BadRequest("Credential without an id");
  const cls = callerClass(principal);
  const limit = apiLimits(env)[cls];
  const stub = env.RATE_LIMITER.get(env.RATE_LIMITER.idFromName(key));
  const decision = released(await stub.hit([{ bucket: `api:${cls}`, limit, windowMs: WINDOW_MS }]));
  if (!decision.allowed) {
    throw new TooManyRequests(decision.retryAfterMs / 1000, `Too many requests: ${limit} per minute for this key`);
  }
}
