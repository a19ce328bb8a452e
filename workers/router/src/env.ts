import type { Outbox } from "../../../durable-objects/outbox.ts";
import type { OverlayRoom } from "../../../durable-objects/overlay-room.ts";
import type { RateLimiter } from "../../../durable-objects/rate-limiter.ts";
import type { RouterSession } from "../../../durable-objects/session.ts";
import type { WorkflowScheduler } from "../../../durable-objects/workflow-scheduler.ts";
import type { ApiLimitConfig } from "../../../lib/auth/api-limits.ts";
import type { BootstrapConfig, PlatformConfig } from "../../../lib/config.ts";
import type { ConnectConfig } from "../../../lib/connections/oauth.ts";
import type { CorsConfig } from "../../../lib/http/cors.ts";
import type { ModulesBinding } from "../../../lib/modules/contract.ts";
import type { DeliveryBinding, IdentityBinding } from "../../../lib/rpc.ts";
import type { SpotifyConfig } from "../../../lib/spotify/config.ts";
import type { CommunityCreationConfig } from "./communities/create.ts";
import type { RoleSyncMessage } from "./labels/role-sync.ts";
import type { BillingConfig } from "./marketplace/billing.ts";
import type { RetentionConfig } from "./retention/retention.ts";

/** The router's bindings (wrangler.toml at the repository root) and settings. */
export interface Env
  extends PlatformConfig,
    ConnectConfig,
    BootstrapConfig,
    RetentionConfig,
    CorsConfig,
    ApiLimitConfig,
    CommunityCreationConfig,
    BillingConfig,
    SpotifyConfig {
  DB: D1Database;
  IDENTITY: IdentityBinding;
  /** The delivery service (webhooks worker, `DeliveryService`): every message without an incoming event. */
  DELIVERY: DeliveryBinding;
  RATE_LIMITER: DurableObjectNamespace<RateLimiter>;
  SESSIONS: DurableObjectNamespace<RouterSession>;
  /** GET /metrics requires `Authorization: Bearer <this>`; unset, a deployed worker answers 503. */
  METRICS_TOKEN?: string;
  OVERLAY_ROOM: DurableObjectNamespace<OverlayRoom>;
  /** The webhooks worker's per-channel outboxes: replies to queued events (events/consume.ts) go there. */
  OUTBOX: DurableObjectNamespace<Outbox>;
  /** The first-party modules worker (RPC); optional so the router runs without it (those modules then fail). */
  MODULES?: ModulesBinding;
  /** Child rooms a community's overlay pages are spread over (durable-objects/overlay-fanout.ts); default 8, 0: none. */
  OVERLAY_CHILD_ROOMS?: string;
  /** Entity-group role changes (labels → platform roles), consumed by this worker (labels/role-sync.ts). */
  ROLE_SYNC: Queue<RoleSyncMessage>;
  /** Delay before a failed queued event's or role change's first retry, doubled each time (default 2; the tests use 0). */
  QUEUE_RETRY_BASE_SECONDS?: string;
  /** The webhooks worker's public origin (EventSub callbacks on connect). Default locally http://127.0.0.1:8788. */
  WEBHOOKS_PUBLIC_URL?: string;
  /** The generic workflow interpreter (workers/router/src/workflows/engine.ts). */
  WORKFLOW_RUNNER: Workflow<import("./workflows/types.ts").RunParams>;
  /** One scheduler per community (durable-objects/workflow-scheduler.ts). */
  WORKFLOW_SCHEDULER: DurableObjectNamespace<WorkflowScheduler>;
  /** Ed25519 public key (base64, raw 32 bytes) that verifies workflow licences; unset: free tier only. */
  LICENSE_PUBLIC_KEY?: string;
  /** Minutes a missed schedule may still run late (default 15). */
  WORKFLOW_SCHEDULE_GRACE_MINUTES?: string;
}

export type AppEnv = { Bindings: Env };

/** The part of the execution context the router needs: deferring work past the reply. */
export type Deferrer = Pick<ExecutionContext, "waitUntil">;
