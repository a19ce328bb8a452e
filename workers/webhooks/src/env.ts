import type { Deduplicator } from "../../../durable-objects/deduplicator.ts";
import type { Outbox } from "../../../durable-objects/outbox.ts";
import type { RelayCoordinator } from "../../../durable-objects/relay-coordinator.ts";
import type { PlatformConfig } from "../../../lib/config.ts";
import type { QueuedEvent } from "../../../lib/events/queued-event.ts";
import type { IdentityBinding, RouterBinding } from "../../../lib/rpc.ts";

/** The webhooks worker's bindings (workers/webhooks/wrangler.toml) and settings. */
export interface Env extends PlatformConfig {
  DB: D1Database;
  ROUTER: RouterBinding;
  IDENTITY: IdentityBinding;
  DEDUPE: DurableObjectNamespace<Deduplicator>;
  OUTBOX: DurableObjectNamespace<Outbox>;
  /** Assigns Discord shards and Twitch channels to the gateway relay copies (`/relay/connect`). */
  RELAY_COORDINATOR: DurableObjectNamespace<RelayCoordinator>;
  /** Acknowledged events on their way to the router, which consumes them (its events/consume.ts). */
  EVENTS: Queue<QueuedEvent>;
}

export type AppEnv = { Bindings: Env };
