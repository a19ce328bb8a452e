import type { D1Migration } from "@cloudflare/vitest-plugin";
import type { Deduplicator } from "../../durable-objects/deduplicator.ts";
import type { ModuleScheduler } from "../../durable-objects/module-scheduler.ts";
import type { Outbox } from "../../durable-objects/outbox.ts";
import type { OverlayRoom } from "../../durable-objects/overlay-room.ts";
import type { RateLimiter } from "../../durable-objects/rate-limiter.ts";
import type { RouterSession } from "../../durable-objects/session.ts";
import type { WorkflowScheduler } from "../../durable-objects/workflow-scheduler.ts";
import type { DeliveryBinding } from "../../lib/rpc.ts";
import type { RunParams } from "../../workers/router/src/workflows/types.ts";

declare global {
  namespace Cloudflare {
    /** What every workerd test project's env carries besides its worker's own bindings. */
    interface Env {
      DB: D1Database;
      TEST_MIGRATIONS: D1Migration[];
      TEST_DISCORD_PRIVATE_KEY: string;
      TEST_LICENSE_PRIVATE_KEY: string;
      FAKE_PLATFORM_URL: string;
      TOKEN_ENCRYPTION_KEY: string;
      STRIPE_WEBHOOK_SECRET: string;
      STRIPE_SECRET_KEY: string;
      RATE_LIMITER: DurableObjectNamespace<RateLimiter>;
      DEDUPE: DurableObjectNamespace<Deduplicator>;
      OUTBOX: DurableObjectNamespace<Outbox>;
      SESSIONS: DurableObjectNamespace<RouterSession>;
      OVERLAY_ROOM: DurableObjectNamespace<OverlayRoom>;
      /** The delivery service (router and identity projects: the webhooks worker as an auxiliary). */
      DELIVERY: DeliveryBinding;
      WORKFLOW_RUNNER: Workflow<RunParams>;
      WORKFLOW_SCHEDULER: DurableObjectNamespace<WorkflowScheduler>;
      MODULE_SCHEDULER: DurableObjectNamespace<ModuleScheduler>;
    }
  }
}
