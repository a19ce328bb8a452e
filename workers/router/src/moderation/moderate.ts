import { recordAudit } from "../../../../lib/audit.ts";
import { levelAtLeast, type PermissionLevel } from "../../../../lib/chat/permission-level.ts";
import { createDb } from "../../../../lib/db/client.ts";
import type { BotReply, ModerationAction } from "../../../../lib/events/chat-event.ts";
import { log } from "../../../../lib/log.ts";
import { safeFetch } from "../../../../lib/outbound/safe-fetch.ts";
import { type OutboundPolicy, outboundPolicy } from "../../../../lib/outbound/url-guard.ts";
import { released } from "../../../../lib/rpc.ts";
import { userShardKey } from "../commands/rate-limit.ts";
import { channelName, userName } from "../commands/run-command.ts";
import { renderTemplate } from "../commands/variables.ts";
import { signWebhook, WEBHOOK_HEADERS } from "../engines/webhook.ts";
import type { Deferrer, Env } from "../env.ts";
import { type NotSimulated, type RoutedEvent, wouldDo } from "../events/routed-event.ts";
import type { CompiledRule, RouterConfig } from "../router-config.ts";
import { addStrike } from "./moderation.repo.ts";
import { spendPermit } from "./permits.ts";

interface ModerationVerdict {
  rule: CompiledRule;
  replies: BotReply[];
  actions: ModerationAction[];
  /** A command to run on the bot's behalf (action "command"). */
  command?: string;
  strikes?: number;
}

/** FNV-1a of the normalised message: the repeat filter's bucket name. */
function messageHash(text: string): string {
  let h = 0x811c9dc5;
  for (const ch of text.toLowerCase().replace(/\s+/g, " ").trim()) {
    h ^= ch.codePointAt(0)!;
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16);
}

/**
 * The repeat filter's bucket for a message: inside the user's rate-limit shard object, next to
 * (never colliding with) the `<platform>:<user>:<command>` command windows.
 */
export const repeatBucket = (platform: string, userId: string, text: string) =>
  `repeat:${platform}:${userId}:m:${messageHash(text)}`;

/**
 * The same message `count` times inside the window. Kept in the user's RateLimiter shard (the
 * 32 objects per community the command limits use, userShardKey): one object per user meant a
 * cold object, a fresh SQLite database, for nearly every chatter's first line.
 */
async function isRepeat(env: Env, communityId: string, event: RoutedEvent, rule: CompiledRule, text: string) {
  if (!rule.repeat) return false;
  const key = `${event.simulated ? "sim:" : ""}${userShardKey(communityId, event.platform, event.user.id)}`;
  const stub = env.RATE_LIMITER.get(env.RATE_LIMITER.idFromName(key));
  const decision = released(
    await stub.hit([
      {
        bucket: repeatBucket(event.platform, event.user.id, text),
        limit: rule.repeat.count - 1,
        windowMs: rule.repeat.windowMs,
      },
    ]),
  );
  return !decision.allowed;
}

/**
 * Checks a chat line against the community's rules (in priority order; the first match
 * decides). Users at or above a rule's exempt level are not checked. A match with
 * escalation (or a warn) counts a strike, and the highest escalation step reached replaces
 * the rule's own action. Returns null when nothing matched.
 */
export async function moderate(
  env: Env,
  ctx: Deferrer,
  config: RouterConfig,
  event: RoutedEvent,
  level: PermissionLevel,
  text: string,
): Promise<ModerationVerdict | null> {
  // A permit is spent at most once per message, whichever links filters it passes.
  let permitted: boolean | undefined;
  for (const rule of config.moderation) {
    if (levelAtLeast(level, rule.exemptLevel)) continue;
    const matched = rule.match ? rule.match(text) : await isRepeat(env, config.communityId, event, rule, text);
    // A moderator's `!permit` lets this user's link through (read only once a filter matched).
    if (matched && rule.permitSec !== null && !event.simulated) {
      permitted ??= await spendPermit(env.DB, config.communityId, event);
      if (permitted) continue;
    }
    if (matched) return act(env, ctx, config.communityId, event, rule, text);
  }
  return null;
}

async function act(
  env: Env,
  ctx: Deferrer,
  communityId: string,
  event: RoutedEvent,
  rule: CompiledRule,
  text: string,
): Promise<ModerationVerdict> {
  let strikes: number | undefined;
  let action: string = rule.action;
  let { message, durationSec } = rule.actionConfig;
  if (rule.escalation.length > 0 || rule.action === "warn") {
    // Dry run: a simulated user has no history, so a try shows what a first offence does.
    if (event.simulated) wouldDo(event, "count a moderation strike");
    strikes = event.simulated ? 1 : await addStrike(createDb(env.DB), communityId, event.platform, event.user.id);
    const step = rule.escalation.filter((s) => s.strikes <= strikes!).at(-1);
    if (step) ({ action, durationSec = durationSec, message = message } = step);
  }
  const say = (m: string | undefined): BotReply[] => {
    if (!m) return [];
    const vars = { user: userName(event), channel: channelName(event), platform: event.platform, count: strikes ?? 0 };
    const rendered = renderTemplate(m, { ...vars, args: [], rawArgs: "" });
    return rendered ? [{ type: "chat", text: rendered }] : [];
  };
  const reason = `WaddleBot: ${rule.name}`.slice(0, 500);
  const verdict: ModerationVerdict = { rule, replies: [], actions: [], strikes };
  switch (action) {
    case "reply":
    case "warn":
      verdict.replies = say(message);
      break;
    case "delete":
      verdict.actions = [{ type: "delete", reason, ruleId: rule.id }];
      verdict.replies = say(message);
      break;
    case "timeout":
      verdict.actions = [
        { type: "delete", reason, ruleId: rule.id },
        { type: "timeout", durationSec: durationSec ?? 600, reason, ruleId: rule.id },
      ];
      verdict.replies = say(message);
      break;
    case "ban":
      verdict.actions = [{ type: "ban", reason, ruleId: rule.id }];
      verdict.replies = say(message);
      break;
    case "command":
      verdict.command = rule.actionConfig.command;
      break;
    case "webhook":
      if (event.simulated) wouldDo(event, `call the moderation webhook of rule ${rule.name}`);
      else ctx.waitUntil(notifyWebhook(outboundPolicy(env), rule, communityId, event, text));
      verdict.replies = say(message);
      break;
  }
  // The dashboard's "recent moderation actions" and the audit trail read this; never on the reply's path.
  ctx.waitUntil(
    recordAudit(env.DB, {
      actorType: "platform",
      actorId: event.user.id,
      communityId,
      action: "moderation.matched",
      targetType: "moderation_rule",
      targetId: rule.id,
      outcome: "success",
      // simulated: the dashboard and stats leave these out (stats.repo.ts).
      details: {
        rule: rule.name,
        action,
        platform: event.platform,
        user: userName(event),
        strikes,
        ...(event.simulated ? { simulated: true } : {}),
      },
    }),
  );
  return verdict;
}

/** POSTs the match to the rule's URL (signed like webhook modules when the rule has a secret). */
async function notifyWebhook(
  policy: OutboundPolicy,
  rule: CompiledRule,
  communityId: string,
  event: NotSimulated,
  text: string,
) {
  const { url, secret } = rule.actionConfig;
  if (!url) return;
  const body = JSON.stringify({
    rule: { id: rule.id, name: rule.name },
    communityId,
    platform: event.platform,
    channel: event.channel,
    user: { id: event.user.id, username: event.user.username },
    text,
    eventId: event.id,
  });
  const timestamp = String(Math.floor(Date.now() / 1000));
  const headers: Record<string, string> = {
    "content-type": "application/json",
    [WEBHOOK_HEADERS.timestamp]: timestamp,
  };
  if (secret) headers[WEBHOOK_HEADERS.signature] = await signWebhook(secret, timestamp, body);
  try {
    // The same guard as modules (SSRF, no redirects); the answer's body is never read.
    await safeFetch(new Request(url, { method: "POST", body, headers }), { policy, timeoutMs: 5_000, maxBytes: 0 });
  } catch (err) {
    log.warn("moderation webhook failed", { ruleId: rule.id, error: err });
  }
}
