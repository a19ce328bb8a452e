import type { WorkflowStepConfig } from "cloudflare:workers";
import type { Env } from "../env.ts";
import { type RunData, resolve } from "./expr.ts";
import type { GraphEdge, GraphNode } from "./graph.ts";
import { runNode } from "./node-steps.ts";
import { isAction, isLoop, NODE_CONFIGS, type NodeType } from "./nodes.ts";
import { recordNode } from "./records.ts";
import type { NodeResult, RunParams, Steps } from "./types.ts";
import { triggerOf } from "./validate.ts";

/** Below Workflows' 10,000 steps per instance, leaving room for the bookkeeping steps. */
const MAX_NODE_STEPS = 5_000;

/** FNV-1a, 32 bits: a short, stable step-name suffix for the path a node was reached by. */
function fnv(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
  return h.toString(16).padStart(8, "0");
}

/** The step name of a node reached by `path` (edge ids from the trigger: `root>e1>e2`; loops add `[i]`). */
export const stepNameOf = (node: { id: string; type: string }, path: string) => `${node.type}:${node.id}:${fnv(path)}`;

/**
 * What the trace shows as a node's input: its config with the references resolved, as it ran.
 * Header values of an HTTP action are never recorded (they may hold a credential).
 */
function traceInput(node: GraphNode, data: RunData): unknown {
  const resolved = resolve(node.config, data) as Record<string, unknown>;
  if (resolved.headers && typeof resolved.headers === "object") {
    resolved.headers = Object.fromEntries(Object.keys(resolved.headers).map((k) => [k, "[redacted]"]));
  }
  return resolved;
}

/** A node failed and no `error` edge caught it: the execution fails, naming the node. */
export class NodeFailure extends Error {
  constructor(
    readonly nodeId: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Walks a graph snapshot. Every node is one `step.do` (its result cached by Workflows, so a
 * replay after a restart takes the same path without redoing side effects); a delay is a
 * `step.sleep`; `flow_parallel` branches run under Promise.all; loop iterations get their own
 * step names (the index is part of the path), capped by the node's maxIterations. A node
 * reached by two paths runs once per path. Local variables are copied into each branch and
 * iteration; workflow variables are shared by the whole run.
 */
export class Interpreter {
  private readonly nodes: Map<string, GraphNode>;
  private readonly vars: Record<string, unknown>;
  private readonly outputs: Record<string, unknown>;
  private steps = 0;

  constructor(
    private readonly env: Env,
    private readonly ctx: ExecutionContext,
    private readonly step: Steps,
    private readonly p: RunParams,
  ) {
    this.nodes = new Map(p.graph.nodes.map((n) => [n.id, n]));
    this.vars = { ...(p.resume?.vars ?? {}) };
    this.outputs = { ...(p.resume?.nodes ?? {}) };
  }

  async run(): Promise<Record<string, unknown>> {
    const start = this.p.resume ? this.nodes.get(this.p.resume.nodeId) : triggerOf(this.p.graph);
    if (!start) throw new NodeFailure(this.p.resume?.nodeId ?? "", "the graph has no start node");
    await this.visit(start, { ...(this.p.resume?.local ?? {}) }, "root", []);
    return { vars: this.vars, nodes: this.outputs };
  }

  private data(local: Record<string, unknown>): RunData {
    return {
      trigger: this.p.trigger.data,
      vars: { ...this.vars, ...local },
      nodes: this.outputs,
      execution: { id: this.p.executionId, workflowId: this.p.workflowId, communityId: this.p.communityId },
    };
  }

  /** Outgoing edges of a port, in the builder's top-to-bottom order (flow_sequence's order). */
  private edgesFrom(nodeId: string, port: string): GraphEdge[] {
    const y = (e: GraphEdge) => this.nodes.get(e.target)?.position.y ?? 0;
    return this.p.graph.edges
      .filter((e) => e.source === nodeId && e.sourcePort === port)
      .sort((a, b) => y(a) - y(b) || a.id.localeCompare(b.id));
  }

  /** One node as one step: computed and recorded inside it (idempotently, by step name). */
  private async runStep(node: GraphNode, local: Record<string, unknown>, name: string): Promise<NodeResult> {
    if (++this.steps > MAX_NODE_STEPS) throw new NodeFailure(node.id, `more than ${MAX_NODE_STEPS} node runs`);
    const config = NODE_CONFIGS[node.type as NodeType].parse(node.config) as {
      retries?: number;
      retryDelaySeconds?: number;
      timeoutSeconds?: number;
    };
    const policy: WorkflowStepConfig = isAction(node.type)
      ? {
          retries: {
            limit: config.retries ?? 0,
            delay: `${config.retryDelaySeconds ?? 5} seconds`,
            backoff: "exponential",
          },
          timeout: `${config.timeoutSeconds ?? 30} seconds`,
        }
      : { retries: { limit: 0, delay: 0 } };
    return this.step.do(name, policy, async () => {
      const startedAt = Date.now();
      const data = this.data(local);
      const base = { executionId: this.p.executionId, nodeId: node.id, nodeType: node.type, stepName: name, startedAt };
      try {
        const result = await runNode(this.env, this.p, node, data, this.ctx);
        await recordNode(this.env.DB, {
          ...base,
          status: "completed",
          input: traceInput(node, data),
          output: result.output ?? null,
        });
        return result;
      } catch (err) {
        const error = err instanceof Error ? err.message : String(err);
        // What a retry from this node needs: the variables and outputs as they were here.
        const input = { config: traceInput(node, data), resume: { vars: this.vars, local, nodes: this.outputs } };
        await recordNode(this.env.DB, { ...base, status: "failed", input, output: null, error });
        throw err;
      }
    });
  }

  private async visit(node: GraphNode, local: Record<string, unknown>, path: string, loops: string[]): Promise<void> {
    const name = stepNameOf(node, path);
    let result: NodeResult;
    try {
      result = await this.runStep(node, local, name);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      const onError = isAction(node.type) ? this.edgesFrom(node.id, "error") : [];
      if (!onError.length) throw err instanceof NodeFailure ? err : new NodeFailure(node.id, `${node.id}: ${message}`);
      this.outputs[node.id] = { error: message };
      for (const e of onError) await this.follow(e, local, `${path}>${e.id}`, loops);
      return;
    }
    this.outputs[node.id] = result.output;
    for (const s of result.set ?? []) {
      if (s.scope === "local") local[s.name] = s.value;
      else this.vars[s.name] = s.value;
    }
    if (result.sleepMs !== undefined) await this.step.sleep(`sleep:${name}`, result.sleepMs);
    if (isLoop(node.type)) return this.loop(node, result, local, path, name, loops);
    for (const port of result.ports) {
      const edges = this.edgesFrom(node.id, port);
      const branch = (e: GraphEdge) =>
        this.follow(e, edges.length > 1 ? { ...local } : local, `${path}>${e.id}`, loops);
      if (node.type === "flow_parallel") await Promise.all(edges.map(branch));
      else for (const e of edges) await branch(e);
    }
  }

  /** An edge back into a loop being run ends the iteration; any other edge runs its target. */
  private async follow(edge: GraphEdge, local: Record<string, unknown>, path: string, loops: string[]) {
    if (loops.includes(edge.target)) return;
    const target = this.nodes.get(edge.target);
    if (target) await this.visit(target, local, path, loops);
  }

  private async loop(
    node: GraphNode,
    first: NodeResult,
    local: Record<string, unknown>,
    path: string,
    name: string,
    loops: string[],
  ) {
    const inner = [...loops, node.id];
    const body = this.edgesFrom(node.id, "body");
    const iteration = async (index: number, vars: Record<string, unknown>) => {
      for (const e of body) await this.follow(e, { ...local, ...vars, index }, `${path}[${index}]>${e.id}`, inner);
    };
    if (node.type === "loop_foreach") {
      const c = NODE_CONFIGS.loop_foreach.parse(node.config);
      const items = first.items ?? [];
      for (let i = 0; i < items.length; i += c.concurrency) {
        const chunk = items.slice(i, i + c.concurrency);
        await Promise.all(chunk.map((item, k) => iteration(i + k, { [c.itemVar]: item })));
      }
    } else {
      const c = NODE_CONFIGS.loop_while.parse(node.config);
      let again = (first.items ?? []).length > 0;
      for (let i = 0; again && i < c.maxIterations; i++) {
        await iteration(i, {});
        if (i + 1 >= c.maxIterations) break;
        again = ((await this.runStep(node, { ...local, index: i + 1 }, `${name}#${i + 1}`)).items ?? []).length > 0;
      }
    }
    for (const e of this.edgesFrom(node.id, "done")) await this.follow(e, local, `${path}>${e.id}`, loops);
  }
}
