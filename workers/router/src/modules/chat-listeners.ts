import type { PermissionLevel } from "../../../../lib/chat/permission-level.ts";
import { log } from "../../../../lib/log.ts";
import type { Deferrer, Env } from "../env.ts";
import type { RoutedEvent } from "../events/routed-event.ts";
import type { RouterConfig } from "../router-config.ts";
import { runModule } from "./run.ts";

/**
 * Modules that listen to every chat line (`events: ["message"]`: giveaway keyword entries, timer
 * line counts) run after the answer, deferred, and never speak: a bot answering chat lines would
 * flood the channel. Not recorded as executions either (one row per chat line would be the
 * biggest table for no reader). A simulated line is never heard.
 */
export function hearChatLine(
  env: Env,
  ctx: Deferrer,
  config: RouterConfig,
  event: RoutedEvent,
  level: PermissionLevel,
) {
  if (event.type !== "message" || event.simulated) return;
  for (const mod of config.triggerModules) {
    if (!mod.triggers.includes("message")) continue;
    ctx.waitUntil(
      runModule(env, ctx, mod, config.communityId, event, { level }).then((run) => {
        if (run.status !== "success") log.warn("chat-line listener failed", { module: mod.name, error: run.error });
      }),
    );
  }
}
