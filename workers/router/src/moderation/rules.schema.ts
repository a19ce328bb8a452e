import * as z from "zod";
import { PERMISSION_LEVELS } from "../../../../lib/chat/permission-level.ts";
import { MATCH_TYPES, MODERATION_ACTIONS } from "../../../../lib/db/schema/index.ts";
import { COMMAND_NAME } from "../commands/parse.ts";
import { validateTemplate } from "../commands/variables.ts";
import { compilePattern, PatternError } from "./matchers.ts";
import { PERMIT_MAX_SEC } from "./permits.ts";

/** Longer patterns are refused: a rule is a few words or a short expression, not a program. */
const MAX_PATTERN_LENGTH = 200;
const Domain = z
  .string()
  .max(253)
  // No regex flags: the OpenAPI document publishes only the pattern's source, so an `/i` here
  // made the published pattern stricter than the API (it matched no upper-case domain).
  .regex(/^(?:[a-zA-Z0-9-]+\.)+[a-zA-Z]{2,}$/, "a domain such as example.com");

export const RuleOptions = z.strictObject({
  caseSensitive: z.boolean().optional(),
  /** caps: share of upper-case letters that trips the filter (0.1–1, default 0.7). */
  maxCapsRatio: z.number().min(0.1).max(1).optional(),
  /** caps: messages with fewer letters are never checked (default 10). */
  minLength: z.number().int().min(1).max(500).optional(),
  /** links: domains (and their subdomains) that may be posted. */
  allowedDomains: z.array(Domain).max(100).optional(),
  /** repeat: the same message this many times inside the window trips it (default 3). */
  repeatCount: z.number().int().min(2).max(20).optional(),
  repeatWindowSec: z.number().int().min(1).max(3600).optional(),
  /** links: whether moderators' `!permit <user> [seconds]` lets a user's links through (default true). */
  permit: z.boolean().optional(),
  /** links: how long a plain `!permit <user>` lasts, for its one link (default 60 s). */
  permitSec: z.number().int().min(1).max(PERMIT_MAX_SEC).optional(),
});

const MAX_TIMEOUT_SEC = 1_209_600; // Twitch and Discord cap timeouts at 14 / 28 days; 14 fits both.
export const ActionConfig = z.strictObject({
  /** reply/warn/delete/timeout: what the bot says (template variables allowed). */
  message: z.string().max(500).optional(),
  durationSec: z.number().int().min(1).max(MAX_TIMEOUT_SEC).optional(),
  /** command: the command to run, e.g. "!rules". */
  command: z
    .string()
    .regex(/^[!#][a-z0-9][a-z0-9_-]{0,31}$/)
    .optional(),
  /** webhook: where to POST the match; signed like webhook modules when `secret` is set. */
  url: z.url({ protocol: /^https?$/ }).optional(),
  secret: z.string().min(16).max(256).optional(),
});

export const EscalationStep = z.strictObject({
  strikes: z.number().int().min(1).max(100),
  action: z.enum(["warn", "delete", "timeout", "ban"]),
  durationSec: z.number().int().min(1).max(MAX_TIMEOUT_SEC).optional(),
  message: z.string().max(500).optional(),
});

const TEXT_MATCHES = new Set(["exact", "contains", "word", "wildcard", "regex"]);

export const RuleFields = z.object({
  name: z.string().trim().min(1).max(100),
  matchType: z.enum(MATCH_TYPES),
  pattern: z.string().min(1).max(MAX_PATTERN_LENGTH).nullable().optional(),
  options: RuleOptions.default({}),
  action: z.enum(MODERATION_ACTIONS),
  actionConfig: ActionConfig.default({}),
  escalation: z.array(EscalationStep).max(10).default([]),
  exemptLevel: z.enum(PERMISSION_LEVELS).default("moderator"),
  enabled: z.boolean().default(true),
  priority: z.number().int().min(0).max(10_000).default(100),
});

/** A whole rule, cross-checked: the pattern fits the match type and compiles; the action has what it needs. */
export const RuleInput = RuleFields.superRefine((r, ctx) => {
  const issue = (path: string, message: string) => ctx.addIssue({ code: "custom", path: [path], message });
  if (TEXT_MATCHES.has(r.matchType)) {
    if (!r.pattern) issue("pattern", `a ${r.matchType} rule needs a pattern`);
    else {
      try {
        compilePattern(r.matchType, r.pattern, r.options.caseSensitive ?? false);
      } catch (err) {
        issue("pattern", err instanceof PatternError ? err.message : "invalid pattern");
      }
    }
  } else if (r.pattern) issue("pattern", `a ${r.matchType} filter takes no pattern`);
  const cfg = r.actionConfig;
  if ((r.action === "reply" || r.action === "warn") && !cfg.message)
    issue("actionConfig", `${r.action} needs a message`);
  if (r.action === "command" && !cfg.command) issue("actionConfig", "command needs a command, e.g. !rules");
  if (r.action === "command" && cfg.command && !COMMAND_NAME.test(cfg.command.slice(1)))
    issue("actionConfig", "bad command");
  if (r.action === "webhook" && !cfg.url) issue("actionConfig", "webhook needs a url");
  for (const message of [cfg.message, ...r.escalation.map((s) => s.message)]) {
    if (message) for (const p of validateTemplate(message)) issue("actionConfig", p);
  }
});
export type RuleInputValue = z.infer<typeof RuleInput>;
