import type { RateLimiter } from "../../../durable-objects/rate-limiter.ts";
import type { BootstrapConfig, PlatformConfig } from "../../../lib/config.ts";

/** The identity worker's bindings (workers/identity/wrangler.toml) and settings. */
export interface Env extends PlatformConfig, BootstrapConfig {
  DB: D1Database;
  RATE_LIMITER: DurableObjectNamespace<RateLimiter>;
}

export type AppEnv = { Bindings: Env };
