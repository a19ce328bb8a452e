import type { Deduplicator } from "../../../durable-objects/deduplicator.ts";
import type { Outbox } from "../../../durable-objects/outbox.ts";
import type { RelayCoordinator } from "../../../durable-objects/relay-coordinator.ts";
import type { PlatformConfig } from "../../../lib/config.ts";
import type { IdentityBinding, RouterBinding } from "../../../lib/rpc.ts";
import type { QueuedEvent } from "./queue/message.ts";

/** The webhooks worker's bindings (workers/webhooks/wrangler.toml) and settings. */
export interface Env extends PlatformConfig {
  DB: D1Database;
  ROUTER: RouterBinding;
  IDENTITY: IdentityBinding;
  DEDUPE: DurableObjectNamespace<Deduplicator>;
  OUTBOX: DurableObjectNamespace<Outbox>;
  /** Assigns Discord shards and Twitch channels to the gateway relay copies (`/relay/connect`). */
  RELAY_COORDINATOR: DurableObjectNamespace<RelayCoordinator>;
  /** Acknowledged events on their way to the router (queue/consume.ts consumes it). */
  EVENTS: Queue<QueuedEvent>;
  /** Seconds before a failed queued event's first retry; doubled on each next one (default 2). */
  QUEUE_RETRY_BASE_SECONDS?: string;
}

export type AppEnv = { Bindings: Env };
