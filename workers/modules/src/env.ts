import type { ModuleScheduler } from "../../../durable-objects/module-scheduler.ts";
import type { OverlayRoom } from "../../../durable-objects/overlay-room.ts";
import type { PlatformConfig } from "../../../lib/config.ts";
import type { ModuleDeliveryEnv } from "../../../lib/modules/deliver.ts";
import type { SpotifyConfig } from "../../../lib/spotify/config.ts";

/** The modules worker's bindings (workers/modules/wrangler.toml); DELIVERY is the webhooks worker's. */
export interface Env extends PlatformConfig, ModuleDeliveryEnv, SpotifyConfig {
  DB: D1Database;
  MODULE_SCHEDULER: DurableObjectNamespace<ModuleScheduler>;
  /** The ai module: an OpenAI-compatible API's base URL including `/v1` (wins over the binding). */
  AI_API_BASE?: string;
  AI_API_KEY?: string;
  AI_MODEL?: string;
  /** The youtube-music module: a YouTube Data API v3 key, and its base (tests: the local fake). */
  YOUTUBE_API_KEY?: string;
  YOUTUBE_API_BASE?: string;
  /** The router's overlay rooms: the spotify module's poll publishes now playing to the media overlay. */
  OVERLAY_ROOM?: DurableObjectNamespace<OverlayRoom>;
  /** Workers AI, optional (offline `wrangler dev` refuses to start with it; not in wrangler.toml). */
  AI?: { run(model: string, input: unknown): Promise<unknown> };
}

/** The community's scheduler object (reminders, timers): one per community. */
export const schedulerFor = (env: Env, communityId: string) =>
  env.MODULE_SCHEDULER.get(env.MODULE_SCHEDULER.idFromName(communityId));
