import * as z from "zod";
import { EVENT_TYPES } from "../../../../lib/events/chat-event.ts";

/**
 * The 22 node types of a workflow graph and the zod schema of each one's config. Values that
 * say `Template` may hold `{{path}}` references into the run's data (see expr.ts). Old configs
 * must keep parsing: a published snapshot runs against newer code (add fields with defaults).
 */
const Template = z.string().max(2000);
const VarName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,63}$/, "a variable name: letters, digits, _");
const Scope = z.enum(["local", "workflow", "global"]);
const Port = z.string().regex(/^[a-z0-9_-]{1,32}$/, "a port name: a-z, 0-9, _ and -");

const COMPARISON_OPS = [
  "eq",
  "ne",
  "gt",
  "gte",
  "lt",
  "lte",
  "contains",
  "not_contains",
  "starts_with",
  "in",
  "exists",
  "not_exists",
] as const;
export const Comparison = z.object({ left: Template, op: z.enum(COMPARISON_OPS), right: Template.default("") });
/** An AND of comparisons. */
const Conditions = z.array(Comparison).min(1).max(20);

/** Retries and timeout of an action's step (Workflows' step config). */
const StepPolicy = {
  retries: z.number().int().min(0).max(10).default(2),
  retryDelaySeconds: z.number().int().min(1).max(3600).default(5),
  timeoutSeconds: z.number().int().min(1).max(900).default(30),
};

export const ScheduleSpec = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("cron"), cron: z.string().min(9).max(100), timezone: z.string().max(64).optional() }),
  z.object({
    kind: z.literal("interval"),
    intervalSeconds: z
      .number()
      .int()
      .min(60)
      .max(31 * 86400),
    maxCount: z.number().int().min(1).max(100_000).optional(),
  }),
  z.object({ kind: z.literal("once"), at: z.iso.datetime() }),
]);
export type ScheduleSpec = z.infer<typeof ScheduleSpec>;

const WORKFLOW_EVENTS = EVENT_TYPES.filter((t) => !["message", "slash_command", "autocomplete"].includes(t));

export const NODE_CONFIGS = {
  trigger_command: z.object({
    command: z.string().regex(/^!?[a-z0-9_-]{1,32}$/, "a command name such as hello or !hello"),
    description: z.string().max(200).default(""),
  }),
  trigger_event: z.object({ event: z.enum(WORKFLOW_EVENTS as [string, ...string[]]) }),
  trigger_webhook: z.object({}),
  trigger_schedule: z.object({ schedule: ScheduleSpec }),
  condition_if: z.object({ conditions: Conditions }),
  condition_switch: z.object({
    value: Template,
    cases: z
      .array(z.object({ value: z.string().max(200), port: Port }))
      .min(1)
      .max(20),
  }),
  condition_filter: z.object({ conditions: Conditions }),
  action_module: z.object({
    moduleId: z.uuid(),
    command: z.string().max(32).default("workflow"),
    args: z.array(Template).max(20).default([]),
    ...StepPolicy,
  }),
  action_webhook: z.object({
    /** Checked against the SSRF guard on save and again on every call (safe-fetch.ts). */
    url: z.url({ protocol: /^https?$/ }).max(2000),
    method: z.enum(["GET", "POST", "PUT", "PATCH", "DELETE"]).default("POST"),
    /** Sealed at rest (graph-secrets.ts): a stored value is longer than the 2000 characters typed. */
    headers: z
      .record(z.string().max(100), z.string().max(3000))
      .default({})
      .describe("Values are stored sealed and shown as ••••••••; leave one as •••••••• to keep it"),
    body: Template.optional(),
    ...StepPolicy,
  }),
  action_chat_message: z.object({
    /** "trigger": where the triggering event came from. */
    platform: z.enum(["trigger", "discord", "twitch", "slack"]).default("trigger"),
    /** A channel id (Discord/Slack channel, Twitch broadcaster id); empty: the trigger's channel. */
    channel: Template.default(""),
    message: Template.min(1),
    ...StepPolicy,
  }),
  action_browser_source: z.object({
    overlay: z.enum(["ticker", "media", "general"]),
    data: z.record(z.string().max(64), Template),
    ...StepPolicy,
  }),
  action_delay: z
    .object({
      seconds: z
        .number()
        .int()
        .min(1)
        .max(30 * 86400)
        .optional(),
      fromVariable: VarName.optional(),
    })
    .refine((c) => (c.seconds === undefined) !== (c.fromVariable === undefined), "set seconds or fromVariable"),
  data_transform: z.object({
    expression: z.string().min(1).max(2000),
    output: VarName,
    scope: Scope.default("workflow"),
  }),
  data_variable_set: z.object({ name: VarName, value: z.unknown(), scope: Scope.default("workflow") }),
  data_variable_get: z.object({
    name: VarName,
    scope: Scope.default("workflow"),
    default: z.unknown().optional(),
    output: VarName,
  }),
  data_array_push: z.object({ array: VarName, value: z.unknown(), scope: Scope.default("workflow") }),
  data_object_merge: z.object({ target: VarName, value: z.unknown(), scope: Scope.default("workflow") }),
  loop_foreach: z.object({
    items: Template,
    itemVar: VarName.default("item"),
    concurrency: z.number().int().min(1).max(10).default(1),
    maxIterations: z.number().int().min(1).max(1000).default(100),
  }),
  loop_while: z.object({ conditions: Conditions, maxIterations: z.number().int().min(1).max(1000).default(100) }),
  flow_parallel: z.object({}),
  flow_sequence: z.object({}),
  flow_noop: z.object({}),
} as const;

export type NodeType = keyof typeof NODE_CONFIGS;
export const NODE_TYPES = Object.keys(NODE_CONFIGS) as NodeType[];

export const isTrigger = (t: string) => t.startsWith("trigger_");
export const isLoop = (t: string) => t === "loop_foreach" || t === "loop_while";
export const isAction = (t: string) => t.startsWith("action_") && t !== "action_delay";

/** The output ports of a node (its config decides a switch's). Every non-trigger node has one input. */
export function outputPorts(type: NodeType, config: Record<string, unknown>): string[] {
  if (isTrigger(type)) return ["out"];
  if (type === "condition_if") return ["true", "false"];
  if (type === "condition_switch") {
    const cases = (config.cases as { port: string }[] | undefined) ?? [];
    return [...cases.map((c) => c.port), "default"];
  }
  if (type === "condition_filter") return ["pass"];
  if (isLoop(type)) return ["body", "done"];
  if (isAction(type)) return ["out", "error"];
  return ["out"];
}

/** Palette groups and labels (the portal builder reads them from the API). */
export const NODE_CATEGORIES: Record<string, NodeType[]> = {
  triggers: ["trigger_command", "trigger_event", "trigger_webhook", "trigger_schedule"],
  conditions: ["condition_if", "condition_switch", "condition_filter"],
  actions: ["action_module", "action_webhook", "action_chat_message", "action_browser_source", "action_delay"],
  data: ["data_transform", "data_variable_set", "data_variable_get", "data_array_push", "data_object_merge"],
  loops: ["loop_foreach", "loop_while"],
  flow: ["flow_parallel", "flow_sequence", "flow_noop"],
};
