/**
 * Variables in custom text commands:
 *   {user} {channel} {platform} {args} {arg1}…{arg20} {count} {random:a|b|c}
 *   {counter:name} (the counters module's value; 0 when the module is not installed)
 * Templates are validated when saved (unknown variables, unbalanced braces, empty random
 * choices are refused), so rendering never fails on a stored template.
 */
import { MAX_ARGS } from "./parse.ts";

interface TemplateContext {
  user: string;
  channel: string;
  platform: string;
  args: string[];
  rawArgs: string;
  /** Uses of the command, including this one. */
  count: number;
  /** `{counter:name}` values, read only when the template names one (countersIn). */
  counters?: Record<string, number>;
}

const COUNTER = /\{counter:([a-z0-9_-]{1,32})\}/g;
/** The counters a template reads, so the caller fetches them only when there are any. */
export const countersIn = (template: string) => [...new Set([...template.matchAll(COUNTER)].map((m) => m[1]!))];

const MAX_TEMPLATE_LENGTH = 1_000;
/** Chat replies are capped (BotReply allows 2000 characters). */
const MAX_RENDERED = 2_000;
const VARIABLE = /\{([^{}]*)\}/g;
const SIMPLE = new Set(["user", "channel", "platform", "args", "count"]);

function problemWith(name: string): string | null {
  if (SIMPLE.has(name)) return null;
  const arg = /^arg([1-9][0-9]?)$/.exec(name);
  if (arg) return Number(arg[1]) <= MAX_ARGS ? null : `{${name}}: arguments go up to {arg${MAX_ARGS}}`;
  if (name.startsWith("random:")) {
    const choices = name.slice("random:".length).split("|");
    return choices.some((c) => c.trim() === "") ? `{${name}}: every random choice needs text` : null;
  }
  if (name.startsWith("counter:"))
    return /^counter:[a-z0-9_-]{1,32}$/.test(name) ? null : `{${name}}: a counter name is 1–32 of a-z 0-9 _ -`;
  return `{${name}} is not a known variable`;
}

/** Problems with a template, as human-readable messages (empty = valid). */
export function validateTemplate(template: string): string[] {
  const problems: string[] = [];
  if (template.trim() === "") problems.push("the response is empty");
  if (template.length > MAX_TEMPLATE_LENGTH) problems.push(`the response is longer than ${MAX_TEMPLATE_LENGTH}`);
  for (const match of template.matchAll(VARIABLE)) {
    const problem = problemWith(match[1] ?? "");
    if (problem) problems.push(problem);
  }
  const stripped = template.replace(VARIABLE, "");
  if (stripped.includes("{") || stripped.includes("}")) problems.push("unbalanced { or }");
  return problems;
}

/** Does the template need the use counter (so the caller only pays for it when it does)? */
export const usesCount = (template: string) => template.includes("{count}");

/** Fills a (validated) template. */
export function renderTemplate(template: string, ctx: TemplateContext, random = Math.random): string {
  const out = template.replace(VARIABLE, (whole, name: string) => {
    switch (name) {
      case "user":
        return ctx.user;
      case "channel":
        return ctx.channel;
      case "platform":
        return ctx.platform;
      case "args":
        return ctx.rawArgs;
      case "count":
        return String(ctx.count);
    }
    const arg = /^arg([0-9]+)$/.exec(name);
    if (arg) return ctx.args[Number(arg[1]) - 1] ?? "";
    if (name.startsWith("random:")) {
      const choices = name.slice("random:".length).split("|");
      return choices[Math.floor(random() * choices.length)] ?? "";
    }
    if (name.startsWith("counter:")) return String(ctx.counters?.[name.slice("counter:".length)] ?? 0);
    return whole;
  });
  return out.trim().slice(0, MAX_RENDERED);
}
