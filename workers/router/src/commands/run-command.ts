import { levelAtLeast, type PermissionLevel } from "../../../../lib/chat/permission-level.ts";
import { createDb } from "../../../../lib/db/client.ts";
import type { BotReply, ChatEvent, EventOutcome } from "../../../../lib/events/chat-event.ts";
import { released } from "../../../../lib/rpc.ts";
import type { Deferrer, Env } from "../env.ts";
import { type RoutedEvent, wouldDo } from "../events/routed-event.ts";
import { recordExecution } from "../executions/record.ts";
import { moderateAnswer } from "../first-party/moderate-answer.ts";
import { metrics } from "../metrics.ts";
import { runModule } from "../modules/run.ts";
import type { RouterConfig } from "../router-config.ts";
import { expandAlias } from "./aliases.ts";
import { BUILTINS, type BuiltinContext } from "./builtins.ts";
import { countUse, peekUses } from "./commands.repo.ts";
import type { ParsedCommand } from "./parse.ts";
import { checkRateLimits } from "./rate-limit.ts";
import { type CommandEntry, isActiveIn, lookupCommand, visibleCommands } from "./registry.ts";
import { countersIn, renderTemplate, usesCount } from "./variables.ts";

/** The outcome plus what ran, for the simulate endpoint and the batch answer. */
export interface RouterResult extends EventOutcome {
  execution?: { command: string; engine: string; status: string; durationMs: number; error?: string };
}

const engineOf = (cmd: CommandEntry) =>
  cmd.kind === "module" ? (cmd.module?.engine ?? "builtin") : cmd.kind === "text" ? "text" : "builtin";

function builtinContext(
  env: Env,
  config: RouterConfig,
  event: RoutedEvent,
  level: PermissionLevel,
  args: string[],
): BuiltinContext {
  return {
    level,
    args,
    visible: (l) =>
      visibleCommands(config.commands, l, event.channel.id).map((c) => ({
        label: c.prefix + c.name,
        description: c.description,
        minLevel: c.minLevel,
      })),
    liveSince: config.settings.liveSince,
    now: Date.now(),
    event,
    identity: env.IDENTITY,
    env,
    config,
  };
}

/**
 * One command through the path: lookup (cached) → enabled here? → permission → rate limits
 * (Durable Objects) → execute (text template, built-in, or module engine) → audit (deferred).
 * Unknown and disabled commands are ignored quietly. `trusted` skips permission and limits
 * (a moderation rule running a command on the bot's behalf).
 */
export async function runCommand(
  env: Env,
  ctx: Deferrer,
  config: RouterConfig,
  event: RoutedEvent,
  parsed: ParsedCommand,
  level: PermissionLevel,
  trusted = false,
  expandOnce = true,
): Promise<RouterResult> {
  const communityId = config.communityId;
  const cmd = lookupCommand(config.commands, parsed.prefix, parsed.name);
  if (!cmd) {
    // An alias (the alias module) runs its target once: the expansion is never expanded again.
    const expanded = expandOnce ? await expandAlias(env, config, parsed) : null;
    if (expanded) return runCommand(env, ctx, config, event, expanded, level, trusted, false);
    return { status: "ignored", replies: [], communityId };
  }
  if (!isActiveIn(cmd, event.channel.id)) return { status: "ignored", replies: [], communityId };
  const label = cmd.prefix + cmd.name;
  const engine = engineOf(cmd);
  if (!trusted && !levelAtLeast(level, cmd.minLevel)) {
    if (!event.simulated) metrics.command("denied");
    return { status: "denied", replies: [], communityId };
  }
  if (!trusted) {
    const rate = await checkRateLimits(env, config.settings, communityId, event, cmd);
    if (!rate.allowed) {
      if (!event.simulated) {
        metrics.rateLimited();
        metrics.command("rate_limited");
      }
      const retry = String(Math.ceil(rate.retryAfterMs / 1000));
      const template = config.settings.rateLimitedReply;
      const replies: BotReply[] = template
        ? [{ type: "chat", text: template.replaceAll("{retry}", retry).replaceAll("{user}", userName(event)) }]
        : [];
      return { status: "rate_limited", replies, communityId, retryAfterMs: rate.retryAfterMs };
    }
  }

  const started = Date.now();
  let replies: BotReply[] = [];
  let status: "success" | "error" | "timeout" = "success";
  let error: string | undefined;
  if (cmd.kind === "text" && cmd.response) {
    const db = createDb(env.DB);
    let count = 0;
    if (event.simulated) {
      // A try shows the count this use would give, without counting it.
      if (cmd.id && usesCount(cmd.response)) count = await peekUses(db, cmd.id);
      if (cmd.id) wouldDo(event, `count a use of ${label}`);
    } else if (cmd.id && usesCount(cmd.response)) count = await countUse(db, cmd.id);
    else if (cmd.id) ctx.waitUntil(countUse(db, cmd.id));
    const counters = await counterValues(env, communityId, cmd.response);
    const vars = { user: userName(event), channel: channelName(event), platform: event.platform, count, counters };
    const text = renderTemplate(cmd.response, { ...vars, args: parsed.args, rawArgs: parsed.rawArgs });
    if (text) replies = [{ type: "chat", text }];
  } else if (cmd.kind === "builtin") {
    replies = await runBuiltin(cmd.name, builtinContext(env, config, event, level, parsed.args));
  } else if (cmd.module) {
    const mod = cmd.module;
    const builtin = async () => ({
      replies:
        mod.engine === "builtin"
          ? await runBuiltin(mod.config.handler, builtinContext(env, config, event, level, parsed.args))
          : [],
    });
    const run = await runModule(env, ctx, mod, communityId, event, { command: parsed, level }, builtin);
    ({ replies, status, error } = run);
    replies = moderateAnswer(config, mod, replies);
  }
  const durationMs = Date.now() - started;
  const base = {
    communityId,
    eventId: event.id,
    platform: event.platform,
    userId: event.user.id,
    simulated: event.simulated,
  };
  recordExecution(env, ctx, {
    ...base,
    command: label,
    moduleId: cmd.module?.id ?? null,
    engine,
    status,
    durationMs,
    error,
  });
  return {
    status: "processed",
    replies,
    communityId,
    execution: { command: label, engine, status, durationMs, error },
  };
}

/** The answer a built-in with account or state effects gives in simulation (it does not run). */
const REFUSED_IN_SIMULATION = (label: string) =>
  `${label} changes accounts, so it cannot be simulated: try it in chat with your own account.`;

/** Runs a built-in by name; one marked `inSimulation: "refuse"` never runs for a simulated event. */
async function runBuiltin(name: string, ctx: BuiltinContext): Promise<BotReply[]> {
  const builtin = BUILTINS[name];
  if (!builtin) return [];
  if (ctx.event.simulated && builtin.inSimulation === "refuse") {
    wouldDo(ctx.event, `run !${name} (refused in simulation)`);
    return [{ type: "chat", text: REFUSED_IN_SIMULATION(`!${name}`) }];
  }
  return builtin.run(ctx);
}

/** `{counter:name}` values from the counters module (0s when it is not bound); no call without one. */
async function counterValues(env: Env, communityId: string, template: string): Promise<Record<string, number>> {
  const names = countersIn(template);
  if (names.length === 0 || !env.MODULES) return {};
  try {
    return released(await env.MODULES.counterValues(communityId, names));
  } catch {
    return {};
  }
}

export const userName = (event: ChatEvent) => event.user.displayName || event.user.username;
export const channelName = (event: ChatEvent) => event.channel.name ?? event.channel.id;
