import type { RateLimiter } from "../../../durable-objects/rate-limiter.ts";
import type { ApiLimitConfig } from "../../../lib/auth/api-limits.ts";
import type { AuthVariables } from "../../../lib/auth/hono.ts";
import type { BootstrapConfig, IdentityConfig, PlatformConfig } from "../../../lib/config.ts";
import type { CorsConfig } from "../../../lib/http/cors.ts";
import type { DeliveryBinding } from "../../../lib/rpc.ts";

/** The identity worker's bindings (workers/identity/wrangler.toml) and settings. */
export interface Env extends PlatformConfig, BootstrapConfig, IdentityConfig, CorsConfig, ApiLimitConfig {
  DB: D1Database;
  /** The delivery service (webhooks worker, `DeliveryService`): every message without an incoming event. */
  DELIVERY: DeliveryBinding;
  RATE_LIMITER: DurableObjectNamespace<RateLimiter>;
}

export type AppEnv = { Bindings: Env };

/** Routes behind requireAuth: the principal is on the context. */
export type AuthedEnv = { Bindings: Env; Variables: AuthVariables & { requestId: string } };

const DEFAULT_PUBLIC_URL = "http://127.0.0.1:8787";

/** The portal's public origin, without a trailing slash. */
export function publicUrl(env: Env): string {
  return (env.PUBLIC_URL || DEFAULT_PUBLIC_URL).replace(/\/+$/, "");
}
