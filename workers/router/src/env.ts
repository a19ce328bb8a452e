import type { OverlayRoom } from "../../../durable-objects/overlay-room.ts";
import type { RateLimiter } from "../../../durable-objects/rate-limiter.ts";
import type { RouterSession } from "../../../durable-objects/session.ts";
import type { ApiLimitConfig } from "../../../lib/auth/api-limits.ts";
import type { BootstrapConfig, PlatformConfig } from "../../../lib/config.ts";
import type { CorsConfig } from "../../../lib/http/cors.ts";
import type { ModulesBinding } from "../../../lib/modules/contract.ts";
import type { IdentityBinding } from "../../../lib/rpc.ts";
import type { BillingConfig } from "./marketplace/billing.ts";
import type { RetentionConfig } from "./retention/retention.ts";

/** The router's bindings (wrangler.toml at the repository root) and settings. */
export interface Env
  extends PlatformConfig,
    BootstrapConfig,
    RetentionConfig,
    CorsConfig,
    ApiLimitConfig,
    BillingConfig {
  DB: D1Database;
  IDENTITY: IdentityBinding;
  RATE_LIMITER: DurableObjectNamespace<RateLimiter>;
  SESSIONS: DurableObjectNamespace<RouterSession>;
  /** GET /metrics requires `Authorization: Bearer <this>`; unset, a deployed worker answers 503. */
  METRICS_TOKEN?: string;
  OVERLAY_ROOM: DurableObjectNamespace<OverlayRoom>;
  /** The first-party modules worker (RPC); optional so the router runs without it (those modules then fail). */
  MODULES?: ModulesBinding;
  /** Child rooms a community's overlay pages are spread over (durable-objects/overlay-fanout.ts); default 8, 0: none. */
  OVERLAY_CHILD_ROOMS?: string;
}

export type AppEnv = { Bindings: Env };

/** The part of the execution context the router needs: deferring work past the reply. */
export type Deferrer = Pick<ExecutionContext, "waitUntil">;
