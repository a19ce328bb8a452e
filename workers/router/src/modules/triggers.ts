import type { PermissionLevel } from "../../../../lib/chat/permission-level.ts";
import type { RouterResult } from "../commands/run-command.ts";
import type { Deferrer, Env } from "../env.ts";
import type { RoutedEvent } from "../events/routed-event.ts";
import { recordExecution } from "../executions/record.ts";
import type { RouterConfig } from "../router-config.ts";
import type { ModuleDef } from "./config.ts";
import { type ModuleRun, runModule } from "./run.ts";

/**
 * Platform events (follow, subscribe, raid, ...) run the modules that listen to them, in
 * priority order. Consecutive modules marked `parallel` run together; the others one after
 * another. A failing module is recorded and the rest still run; replies keep priority order.
 */
export async function runTriggeredModules(
  env: Env,
  ctx: Deferrer,
  config: RouterConfig,
  event: RoutedEvent,
  level: PermissionLevel,
): Promise<RouterResult> {
  const communityId = config.communityId;
  const mods = config.triggerModules.filter((m) => m.triggers.includes(event.type));
  if (mods.length === 0) return { status: "ignored", replies: [], communityId };
  const run = (m: ModuleDef) => runModule(env, ctx, m, communityId, event, { level });
  const results: ModuleRun[] = [];
  for (let i = 0; i < mods.length; ) {
    if (mods[i]!.parallel) {
      let j = i;
      while (j < mods.length && mods[j]!.parallel) j++;
      results.push(...(await Promise.all(mods.slice(i, j).map(run))));
      i = j;
    } else {
      results.push(await run(mods[i]!));
      i++;
    }
  }
  mods.forEach((m, i) => {
    const r = results[i]!;
    recordExecution(env, ctx, {
      communityId,
      eventId: event.id,
      platform: event.platform,
      userId: event.user.id,
      simulated: event.simulated,
      command: `event:${event.type}`,
      moduleId: m.id,
      engine: m.engine,
      status: r.status,
      durationMs: r.durationMs,
      error: r.error,
    });
  });
  return { status: "processed", replies: results.flatMap((r) => r.replies), communityId };
}
