import type { Deduplicator } from "../../../durable-objects/deduplicator.ts";
import type { Outbox } from "../../../durable-objects/outbox.ts";
import type { PlatformConfig } from "../../../lib/config.ts";
import type { IdentityBinding, RouterBinding } from "../../../lib/rpc.ts";

/** The webhooks worker's bindings (workers/webhooks/wrangler.toml) and settings. */
export interface Env extends PlatformConfig {
  DB: D1Database;
  ROUTER: RouterBinding;
  IDENTITY: IdentityBinding;
  DEDUPE: DurableObjectNamespace<Deduplicator>;
  OUTBOX: DurableObjectNamespace<Outbox>;
}

export type AppEnv = { Bindings: Env };
