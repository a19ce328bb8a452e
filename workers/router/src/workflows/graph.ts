import { z } from "@hono/zod-openapi";

/** Node and edge ids: short, so step names built from them stay under Workflows' limit. */
const ElementId = z.string().regex(/^[A-Za-z0-9_-]{1,40}$/, "ids: 1-40 of A-Z a-z 0-9 _ -");

export const GraphNode = z
  .object({
    id: ElementId,
    type: z.string().max(40),
    config: z.record(z.string(), z.unknown()).default({}),
    position: z.object({ x: z.number().finite(), y: z.number().finite() }).default({ x: 0, y: 0 }),
  })
  .openapi("WorkflowNode");

export const GraphEdge = z
  .object({ id: ElementId, source: ElementId, sourcePort: z.string().max(32).default("out"), target: ElementId })
  .openapi("WorkflowEdge");

/** The shape of a graph; what it means (ports, configs, one trigger, no cycles) is validate.ts. */
export const Graph = z
  .object({ nodes: z.array(GraphNode).max(200), edges: z.array(GraphEdge).max(400) })
  .openapi("WorkflowGraph");
export type Graph = z.infer<typeof Graph>;
export type GraphNode = z.infer<typeof GraphNode>;
export type GraphEdge = z.infer<typeof GraphEdge>;

/** A problem found by validation; `nodeId` names the node (or `edgeId` the edge) it is about. */
export const ValidationIssue = z
  .object({ nodeId: z.string().optional(), edgeId: z.string().optional(), message: z.string() })
  .openapi("WorkflowValidationIssue");
export type ValidationIssue = z.infer<typeof ValidationIssue>;
