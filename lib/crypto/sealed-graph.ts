/**
 * Secrets inside a workflow graph (workflows.graph, workflow_versions.graph): every header value
 * of an `action_webhook` node, which is where a community puts an API key or a bearer token. Each
 * value is sealed on its own (lib/crypto/secret-box.ts) with the context
 * `workflows.graph:<workflow id>#<node id>.headers.<name>`: the draft and every published snapshot
 * of one workflow share it, so publishing copies sealed values as they are and the runner opens
 * them with the workflow id in its params, at execution only.
 */

/** One sealed value inside a JSON document: `holder[key]`, bound to the context's `#field`. */
export interface JsonSlot {
  holder: Record<string, unknown>;
  key: string;
  field: string;
}

/** A header value's slot, with the node it belongs to (for messages naming the node). */
interface HeaderSlot extends JsonSlot {
  nodeId: string;
}

/** The sealing context's field for one header of one node. */
export const headerField = (nodeId: string, header: string) => `${nodeId}.headers.${header}`;

const isRecord = (v: unknown): v is Record<string, unknown> => !!v && typeof v === "object" && !Array.isArray(v);

/** The header values of a graph's `action_webhook` nodes (a parsed graph; anything else has none). */
export function webhookHeaderSlots(graph: unknown): HeaderSlot[] {
  const nodes = isRecord(graph) && Array.isArray(graph.nodes) ? graph.nodes : [];
  const slots: HeaderSlot[] = [];
  for (const node of nodes) {
    if (!isRecord(node) || node.type !== "action_webhook" || !isRecord(node.config)) continue;
    const headers = node.config.headers;
    if (!isRecord(headers)) continue;
    const nodeId = String(node.id);
    for (const key of Object.keys(headers)) {
      if (typeof headers[key] === "string")
        slots.push({ holder: headers, key, nodeId, field: headerField(nodeId, key) });
    }
  }
  return slots;
}
