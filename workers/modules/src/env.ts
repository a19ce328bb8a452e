import type { ModuleScheduler } from "../../../durable-objects/module-scheduler.ts";
import type { DeliveryEnv } from "../../../lib/platforms/deliver.ts";

/** The modules worker's bindings (workers/modules/wrangler.toml); OUTBOX is the webhooks worker's. */
export interface Env extends DeliveryEnv {
  DB: D1Database;
  MODULE_SCHEDULER: DurableObjectNamespace<ModuleScheduler>;
}

/** The community's scheduler object (reminders, timers): one per community. */
export const schedulerFor = (env: Env, communityId: string) =>
  env.MODULE_SCHEDULER.get(env.MODULE_SCHEDULER.idFromName(communityId));
