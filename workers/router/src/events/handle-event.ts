import { permissionLevelOf } from "../../../../lib/chat/permission-level.ts";
import { resolveCommunity } from "../../../../lib/communities/resolve.ts";
import { createDb } from "../../../../lib/db/client.ts";
import type { ChatEvent } from "../../../../lib/events/chat-event.ts";
import { log } from "../../../../lib/log.ts";
import { upsertSettings } from "../commands/commands.repo.ts";
import { parseCommand } from "../commands/parse.ts";
import { type RouterResult, runCommand } from "../commands/run-command.ts";
import type { Deferrer, Env } from "../env.ts";
import { mentionToCommand } from "../first-party/mention.ts";
import { metrics } from "../metrics.ts";
import { moderate } from "../moderation/moderate.ts";
import { hearChatLine } from "../modules/chat-listeners.ts";
import { runTriggeredModules } from "../modules/triggers.ts";
import { notePlatformEvent } from "../onboarding/activity.ts";
import { alertFromPlatformEvent } from "../overlays/publish.ts";
import { getRouterConfig, invalidateRouterConfig } from "../router-config.ts";
import { commandWorkflow, eventTriggerData, startDeferred, startEventWorkflows } from "../workflows/routing.ts";
import { liveEvent, type RoutedEvent, wouldDo } from "./routed-event.ts";

/** Chat lines people can read: moderation looks at these. */
const MODERATED = new Set(["message", "app_mention"]);
/** Events that may carry a command. */
const COMMANDS = new Set(["message", "app_mention", "slash_command"]);

/**
 * The command text of an event: a mention's leading `<@U…>` is dropped, and a slash command
 * (`/waddlebot so foo`, sent as text "so foo") is read as `!so foo`.
 */
function commandText(event: ChatEvent): string | undefined {
  let text = event.text?.trim();
  if (!text) return undefined;
  if (event.type === "app_mention") text = text.replace(/^<@[^>]+>\s*/, "");
  if (event.type === "slash_command" && text[0] !== "!" && text[0] !== "#") text = `!${text}`;
  return text;
}

/**
 * The router's entry for one event (RPC handleEvent, event batches): resolve the community,
 * unless the caller already did (the webhooks worker passes the id it resolved), then process.
 */
export async function handleEvent(
  env: Env,
  ctx: Deferrer,
  event: ChatEvent,
  resolvedCommunityId?: string,
): Promise<RouterResult> {
  metrics.event(event.platform, event.type);
  let communityId = resolvedCommunityId;
  if (!communityId) {
    const community = await resolveCommunity(env.DB, event.platform, event.communityPlatformId);
    if (!community) return { status: "unknown_community", replies: [] };
    communityId = community.id;
  }
  notePlatformEvent(env, ctx, communityId, event.platform);
  return processEvent(env, ctx, communityId, liveEvent(event));
}

/**
 * One event for a known community: moderation first (chat lines), then a command if the
 * text is one, else the modules that listen to the event type. Stream online/offline also
 * update the live-since time !uptime reports.
 */
export async function processEvent(
  env: Env,
  ctx: Deferrer,
  communityId: string,
  event: RoutedEvent,
): Promise<RouterResult> {
  const config = await getRouterConfig(env, communityId);
  const level = permissionLevelOf(event.user);
  if (COMMANDS.has(event.type)) {
    const text = commandText(event);
    if (!text) return { status: "ignored", replies: [], communityId };
    if (MODERATED.has(event.type) && config.moderation.length > 0) {
      const verdict = await moderate(env, ctx, config, event, level, text);
      if (verdict) {
        const outcome: RouterResult = {
          status: "moderated",
          replies: verdict.replies,
          actions: verdict.actions,
          communityId,
        };
        const parsed = verdict.command ? parseCommand(verdict.command) : null;
        if (parsed) outcome.replies.push(...(await runCommand(env, ctx, config, event, parsed, level, true)).replies);
        return outcome;
      }
    }
    hearChatLine(env, ctx, config, event, level);
    const parsed = parseCommand(text);
    if (!parsed) {
      // A line that mentions the bot may be a question for the ai module (when switched on).
      const mention = await mentionToCommand(env, config, event, text);
      if (!mention) return { status: "ignored", replies: [], communityId };
      return runCommand(env, ctx, config, event, mention.parsed, level);
    }
    // A published workflow's trigger command (registered like a command: publishing checks clashes).
    const workflowId =
      parsed.prefix === "!" && !event.simulated ? await commandWorkflow(env, communityId, parsed.name) : null;
    if (workflowId) {
      startDeferred(env, ctx, communityId, workflowId, "command", eventTriggerData(event, parsed.args));
      return { status: "processed", replies: [], communityId };
    }
    return runCommand(env, ctx, config, event, parsed, level);
  }
  // Live state (the stream's live time, the streamer's overlay) never changes for a try.
  if (event.simulated) {
    wouldDo(event, `update live state and overlay alerts for ${event.type}`);
    return runTriggeredModules(env, ctx, config, event, level);
  }
  if (event.type === "stream_online" || event.type === "stream_offline") {
    const liveSince = event.type === "stream_online" ? new Date(event.receivedAt) : null;
    ctx.waitUntil(
      upsertSettings(createDb(env.DB), communityId, { liveSince }).then(
        () => invalidateRouterConfig(communityId),
        (err) => log.error("live state write failed", { communityId, error: err }),
      ),
    );
  }
  // Follows, subs, raids and cheers may raise a ticker alert (per community setting).
  ctx.waitUntil(
    alertFromPlatformEvent(env, communityId, event).catch((err) =>
      log.error("overlay alert failed", { communityId, type: event.type, error: err }),
    ),
  );
  await startEventWorkflows(env, ctx, communityId, event);
  return runTriggeredModules(env, ctx, config, event, level);
}
