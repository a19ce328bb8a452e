import { checkOutboundUrl, type OutboundPolicy } from "../../../../lib/outbound/url-guard.ts";
import type { Graph, GraphNode, ValidationIssue } from "./graph.ts";
import { isLoop, isTrigger, NODE_CONFIGS, type NodeType, outputPorts } from "./nodes.ts";

/** What validation needs to know about the community (installed modules, global variables). */
export interface ValidationContext {
  installedModuleIds: Set<string>;
  globalVariables: Set<string>;
  /** The SSRF guard's policy: an action_webhook URL it refuses is refused on save too. */
  outbound: OutboundPolicy;
}

/** Variables a node defines (so later reads of them are known). */
function defines(node: GraphNode): string[] {
  const c = node.config as Record<string, unknown>;
  switch (node.type) {
    case "data_variable_set":
      return [String(c.name)];
    case "data_transform":
    case "data_variable_get":
      return [String(c.output)];
    case "loop_foreach":
      return [String(c.itemVar ?? "item"), "index"];
    case "loop_while":
      return ["index"];
    default:
      return [];
  }
}

/** Variables a node reads and needs defined (a variable_get with a default needs nothing). */
function reads(node: GraphNode): string[] {
  const c = node.config as Record<string, unknown>;
  if (node.type === "data_variable_get" && c.default === undefined) return [String(c.name)];
  if (node.type === "data_array_push") return [String(c.array)];
  if (node.type === "data_object_merge") return [String(c.target)];
  if (node.type === "action_delay" && typeof c.fromVariable === "string") return [c.fromVariable];
  return [];
}

/** A cycle that does not pass through a loop node (edges into loop nodes are a loop's back edges). */
function findCycle(graph: Graph): string | null {
  const loops = new Set(graph.nodes.filter((n) => isLoop(n.type)).map((n) => n.id));
  const next = new Map<string, string[]>();
  for (const e of graph.edges) if (!loops.has(e.target)) next.set(e.source, [...(next.get(e.source) ?? []), e.target]);
  const state = new Map<string, 1 | 2>();
  const visit = (id: string): string | null => {
    if (state.get(id) === 2) return null;
    if (state.get(id) === 1) return id;
    state.set(id, 1);
    for (const t of next.get(id) ?? []) {
      const found = visit(t);
      if (found) return found;
    }
    state.set(id, 2);
    return null;
  };
  for (const n of graph.nodes) {
    const found = visit(n.id);
    if (found) return found;
  }
  return null;
}

/**
 * Every rule a graph must pass to be published (and `POST …/workflows/validate`): exactly one
 * trigger, a valid config per node, edges between existing nodes and compatible ports, no
 * cycle except through a loop node, referenced modules installed, read variables defined.
 * Each issue names its node or edge. Returns the graph with its configs parsed (defaults filled).
 */
export function validateGraph(graph: Graph, ctx: ValidationContext): { issues: ValidationIssue[]; graph: Graph } {
  const issues: ValidationIssue[] = [];
  const byId = new Map<string, GraphNode>();
  const nodes: GraphNode[] = [];
  for (const node of graph.nodes) {
    if (byId.has(node.id)) issues.push({ nodeId: node.id, message: `Two nodes have the id ${node.id}` });
    const schema = NODE_CONFIGS[node.type as NodeType];
    if (!schema) {
      issues.push({ nodeId: node.id, message: `Unknown node type ${node.type}` });
      byId.set(node.id, node);
      continue;
    }
    const parsed = schema.safeParse(node.config);
    if (!parsed.success) {
      for (const issue of parsed.error.issues.slice(0, 5)) {
        const at = issue.path.length ? ` (${issue.path.join(".")})` : "";
        issues.push({ nodeId: node.id, message: `${node.type}: ${issue.message}${at}` });
      }
    }
    const clean = { ...node, config: parsed.success ? (parsed.data as Record<string, unknown>) : node.config };
    byId.set(node.id, clean);
    nodes.push(clean);
  }
  const triggers = nodes.filter((n) => isTrigger(n.type));
  if (triggers.length !== 1) {
    issues.push({
      ...(triggers[1] ? { nodeId: triggers[1].id } : {}),
      message: `A workflow needs exactly one trigger node (it has ${triggers.length})`,
    });
  }
  const edgeIds = new Set<string>();
  for (const edge of graph.edges) {
    if (edgeIds.has(edge.id)) issues.push({ edgeId: edge.id, message: `Two edges have the id ${edge.id}` });
    edgeIds.add(edge.id);
    const source = byId.get(edge.source);
    const target = byId.get(edge.target);
    if (!source || !target) {
      issues.push({ edgeId: edge.id, message: `Edge ${edge.id} connects a node that does not exist` });
      continue;
    }
    if (
      NODE_CONFIGS[source.type as NodeType] &&
      !outputPorts(source.type as NodeType, source.config).includes(edge.sourcePort)
    ) {
      issues.push({
        nodeId: source.id,
        edgeId: edge.id,
        message: `${source.type} has no output port "${edge.sourcePort}"`,
      });
    }
    if (isTrigger(target.type)) issues.push({ nodeId: target.id, edgeId: edge.id, message: "A trigger has no input" });
    if (edge.source === edge.target && !isLoop(target.type)) {
      issues.push({ nodeId: target.id, edgeId: edge.id, message: "A node cannot connect to itself" });
    }
  }
  const cycle = findCycle({ nodes, edges: graph.edges });
  if (cycle) issues.push({ nodeId: cycle, message: "The graph has a cycle that does not go through a loop node" });

  const defined = new Set([...ctx.globalVariables, ...nodes.flatMap(defines)]);
  for (const node of nodes) {
    for (const name of reads(node)) {
      if (!defined.has(name)) issues.push({ nodeId: node.id, message: `Variable ${name} is never set` });
    }
    if (node.type === "action_webhook") {
      const url = (node.config as { url?: unknown }).url;
      const check = typeof url === "string" && !url.includes("{{") ? checkOutboundUrl(url, ctx.outbound) : null;
      if (check && !check.ok) issues.push({ nodeId: node.id, message: `URL refused: ${check.reason}` });
    }
    if (node.type === "action_chat_message" && (node.config as { platform?: string }).platform === "trigger") {
      const t = triggers[0]?.type;
      if (t && t !== "trigger_command" && t !== "trigger_event") {
        issues.push({
          nodeId: node.id,
          message: "This trigger has no chat to reply to: choose a platform and channel",
        });
      }
    }
    if (node.type === "action_module") {
      const moduleId = (node.config as { moduleId?: unknown }).moduleId;
      if (typeof moduleId === "string" && !ctx.installedModuleIds.has(moduleId)) {
        issues.push({ nodeId: node.id, message: "That module is not installed in this community" });
      }
    }
  }
  return { issues, graph: { nodes, edges: graph.edges } };
}

/** The graph's one trigger (call on a validated graph). */
export function triggerOf(graph: Graph): GraphNode | undefined {
  return graph.nodes.find((n) => isTrigger(n.type));
}
