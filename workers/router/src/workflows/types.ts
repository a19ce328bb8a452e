import type { WorkflowStepConfig } from "cloudflare:workers";
import type { Graph } from "./graph.ts";

export type TriggerKind = "command" | "event" | "webhook" | "schedule" | "manual";

/** Where a run resumes when an execution is retried from its failed node. */
export interface ResumePoint {
  nodeId: string;
  vars: Record<string, unknown>;
  local: Record<string, unknown>;
  nodes: Record<string, unknown>;
}

/**
 * The params of one Workflows instance: everything the run needs, the graph snapshot included,
 * so a replay never reads a graph that changed since (the interpreter stays backward compatible).
 */
export interface RunParams {
  executionId: string;
  communityId: string;
  workflowId: string;
  version: number;
  graph: Graph;
  trigger: { kind: TriggerKind; data: Record<string, unknown> };
  resume?: ResumePoint;
}

/** The part of Workflows' `WorkflowStep` the interpreter uses (tests may pass their own). */
export interface Steps {
  do<T>(name: string, config: WorkflowStepConfig, fn: () => Promise<T>): Promise<T>;
  sleep(name: string, duration: number): Promise<void>;
}

/** What one node's step returns: replayed from Workflows' cache, so the walk is deterministic. */
export interface NodeResult {
  output: unknown;
  /** The output ports to follow. */
  ports: string[];
  /** Variable writes of local/workflow scope (global ones were written inside the step). */
  set?: { scope: "local" | "workflow"; name: string; value: unknown }[];
  /** For loops: the items to iterate (foreach) or whether to go round again (while). */
  items?: unknown[];
  /** For delays: how long to sleep. */
  sleepMs?: number;
}
