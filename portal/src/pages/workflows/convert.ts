import type { Edge, Node } from "@xyflow/react";
import type { Schemas } from "../../api/client.ts";

export type WfGraph = Schemas["WorkflowGraph"];
export type NodeType = Schemas["WorkflowNodeType"];
export type Issue = Schemas["WorkflowValidationIssue"];

/** What a node on the canvas carries: its type, its config, and what validation or a run said. */
export interface NodeData extends Record<string, unknown> {
  type: string;
  config: Record<string, unknown>;
  ports: string[];
  issues: string[];
  status?: string;
  output?: unknown;
  input?: unknown;
}

export type WfNode = Node<NodeData, "wf">;

/** The API's graph → React Flow nodes and edges (ports are source handles). */
export function toFlow(graph: WfGraph, types: NodeType[]): { nodes: WfNode[]; edges: Edge[] } {
  const portsOf = (t: string) => types.find((x) => x.type === t)?.ports ?? ["out"];
  return {
    nodes: graph.nodes.map((n) => ({
      id: n.id,
      type: "wf",
      position: n.position ?? { x: 0, y: 0 },
      data: {
        type: n.type,
        config: (n.config ?? {}) as Record<string, unknown>,
        ports: portsFor(n.type, n.config, portsOf),
        issues: [],
      },
    })),
    edges: graph.edges.map((e) => ({
      id: e.id,
      source: e.source,
      target: e.target,
      sourceHandle: e.sourcePort ?? "out",
    })),
  };
}

/** A switch's ports come from its cases; every other type's from the palette. */
export function portsFor(type: string, config: unknown, portsOf: (t: string) => string[]): string[] {
  if (type === "condition_switch") {
    const cases = ((config as { cases?: { port?: string }[] } | undefined)?.cases ?? [])
      .map((c) => c.port)
      .filter(Boolean) as string[];
    return [...cases, "default"];
  }
  return portsOf(type);
}

/** React Flow's nodes and edges → the API's graph. */
export function fromFlow(nodes: WfNode[], edges: Edge[]): WfGraph {
  return {
    nodes: nodes.map((n) => ({
      id: n.id,
      type: n.data.type,
      config: n.data.config,
      position: { x: Math.round(n.position.x), y: Math.round(n.position.y) },
    })),
    edges: edges.map((e) => ({ id: e.id, source: e.source, target: e.target, sourcePort: e.sourceHandle ?? "out" })),
  };
}

/** A fresh id for a node of a type (short: step names are built from ids). */
export const newId = (type: string, taken: Set<string>) => {
  const base = type.replace(/^(trigger|condition|action|data|loop|flow)_/, "").slice(0, 12);
  for (let i = 1; ; i++) if (!taken.has(`${base}${i}`)) return `${base}${i}`;
};

/** Defaults a new node's config starts from (enough for the form to show every field). */
export function defaultConfig(schema: unknown): Record<string, unknown> {
  const props = (schema as { properties?: Record<string, { default?: unknown }> })?.properties ?? {};
  return Object.fromEntries(
    Object.entries(props).flatMap(([k, p]) => (p.default !== undefined ? [[k, p.default]] : [])),
  );
}
