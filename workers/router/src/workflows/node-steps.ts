import type * as z from "zod";
import type { Env } from "../env.ts";
import { runAction } from "./actions.ts";
import { allTrue, evaluate, lookup, type RunData, resolve, resolveText } from "./expr.ts";
import type { GraphNode } from "./graph.ts";
import { NODE_CONFIGS, type NodeType } from "./nodes.ts";
import { getGlobal, setGlobal } from "./records.ts";
import type { NodeResult, RunParams } from "./types.ts";

type Cfg<T extends NodeType> = z.infer<(typeof NODE_CONFIGS)[T]>;

/** Reads a variable of a scope (global from D1; local/workflow from the run data). */
async function readVar(env: Env, p: RunParams, data: RunData, scope: string, name: string): Promise<unknown> {
  if (scope === "global") return getGlobal(env.DB, p.communityId, name);
  return lookup(data, `vars.${name}`);
}

/** Writes a variable: global now (inside the step), local/workflow returned for the walk to apply. */
async function writeVar(
  env: Env,
  p: RunParams,
  scope: string,
  name: string,
  value: unknown,
): Promise<NodeResult["set"]> {
  if (scope === "global") {
    await setGlobal(env.DB, p.communityId, name, value);
    return [];
  }
  return [{ scope: scope as "local" | "workflow", name, value }];
}

/**
 * What one node does, run inside its step (so its result is what a replay sees). The config
 * is parsed again here: a snapshot is validated on publish, and parsing fills defaults for
 * fields added since.
 */
export async function runNode(
  env: Env,
  p: RunParams,
  node: GraphNode,
  data: RunData,
  ctx: ExecutionContext,
): Promise<NodeResult> {
  const type = node.type as NodeType;
  const config = NODE_CONFIGS[type].parse(node.config) as Record<string, unknown>;
  switch (type) {
    case "trigger_command":
    case "trigger_event":
    case "trigger_webhook":
    case "trigger_schedule":
      return { output: p.trigger.data, ports: ["out"] };
    case "condition_if": {
      const ok = allTrue((config as Cfg<"condition_if">).conditions, data);
      return { output: { result: ok }, ports: [ok ? "true" : "false"] };
    }
    case "condition_filter": {
      const ok = allTrue((config as Cfg<"condition_filter">).conditions, data);
      return { output: { passed: ok }, ports: ok ? ["pass"] : [] };
    }
    case "condition_switch": {
      const c = config as Cfg<"condition_switch">;
      const value = resolveText(c.value, data);
      const match = c.cases.find((k) => k.value === value);
      return { output: { value, port: match?.port ?? "default" }, ports: [match?.port ?? "default"] };
    }
    case "action_delay": {
      const c = config as Cfg<"action_delay">;
      const raw = c.seconds ?? Number(lookup(data, `vars.${c.fromVariable}`));
      if (!Number.isFinite(raw) || raw < 0) throw new Error(`delay: ${c.fromVariable} is not a number of seconds`);
      const seconds = Math.min(raw, 30 * 86400);
      return { output: { seconds }, ports: ["out"], sleepMs: seconds * 1000 };
    }
    case "data_transform": {
      const c = config as Cfg<"data_transform">;
      const value = await evaluate(c.expression, data);
      return { output: value, ports: ["out"], set: await writeVar(env, p, c.scope, c.output, value) };
    }
    case "data_variable_set": {
      const c = config as Cfg<"data_variable_set">;
      const value = resolve(c.value, data);
      return { output: value, ports: ["out"], set: await writeVar(env, p, c.scope, c.name, value) };
    }
    case "data_variable_get": {
      const c = config as Cfg<"data_variable_get">;
      const found = await readVar(env, p, data, c.scope, c.name);
      const value = found === undefined ? (c.default ?? null) : found;
      return { output: value, ports: ["out"], set: [{ scope: "workflow", name: c.output, value }] };
    }
    case "data_array_push": {
      const c = config as Cfg<"data_array_push">;
      const current = await readVar(env, p, data, c.scope, c.array);
      const list = Array.isArray(current) ? current : current === undefined || current === null ? [] : [current];
      if (list.length >= 10_000) throw new Error(`${c.array} has 10000 items already`);
      const value = [...list, resolve(c.value, data)];
      return { output: value, ports: ["out"], set: await writeVar(env, p, c.scope, c.array, value) };
    }
    case "data_object_merge": {
      const c = config as Cfg<"data_object_merge">;
      const current = await readVar(env, p, data, c.scope, c.target);
      const add = resolve(c.value, data);
      const base = current && typeof current === "object" && !Array.isArray(current) ? current : {};
      const value = add && typeof add === "object" && !Array.isArray(add) ? { ...base, ...add } : base;
      return { output: value, ports: ["out"], set: await writeVar(env, p, c.scope, c.target, value) };
    }
    case "loop_foreach": {
      const c = config as Cfg<"loop_foreach">;
      const items = resolve(c.items, data);
      const list = Array.isArray(items) ? items : [];
      return {
        output: { count: Math.min(list.length, c.maxIterations) },
        ports: [],
        items: list.slice(0, c.maxIterations),
      };
    }
    case "loop_while": {
      const ok = allTrue((config as Cfg<"loop_while">).conditions, data);
      return { output: { continue: ok }, ports: [], items: ok ? [true] : [] };
    }
    case "flow_parallel":
    case "flow_sequence":
    case "flow_noop":
      return { output: null, ports: ["out"] };
    case "action_module":
    case "action_webhook":
    case "action_chat_message":
    case "action_browser_source":
      return { output: await runAction(env, p, type, config, data, ctx, node.id), ports: ["out"] };
  }
}
