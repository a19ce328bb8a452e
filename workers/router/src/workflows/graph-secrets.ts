/**
 * A workflow graph's secrets (action_webhook header values) at the API's edge: sealed before a
 * graph is stored, shown as SECRET_MASK when it is read, and opened only by the runner, inside
 * the step that sends them (lib/crypto/sealed-graph.ts has the layout and the context).
 */
import { sealContext, WORKFLOW_GRAPH_COLUMN } from "../../../../lib/crypto/sealed-columns.ts";
import { headerField, webhookHeaderSlots } from "../../../../lib/crypto/sealed-graph.ts";
import { fieldContext } from "../../../../lib/crypto/sealed-json.ts";
import { isSealed, open, type SecretBoxConfig, seal } from "../../../../lib/crypto/secret-box.ts";
import { BadRequest } from "../../../../lib/http/errors.ts";
import type { Graph } from "./graph.ts";

/**
 * What a read shows for a stored header value, and what a save sends back to keep it. Not a
 * possible header value (fetch refuses characters past U+00FF), so it never means itself.
 */
export const SECRET_MASK = "••••••••";
/** The longest header value a community may type (sealed, it is about a third longer). */
const HEADER_VALUE_MAX = 2000;

const contextOf = (workflowId: string, field: string) =>
  fieldContext(sealContext(WORKFLOW_GRAPH_COLUMN, workflowId), field);

/** A deep copy, so the caller's graph (the request's parsed body) is never changed. */
const copy = (graph: Graph): Graph => structuredClone(graph);

/**
 * The graph to store: every header value sealed for this workflow. A value equal to SECRET_MASK
 * keeps what `previous` (the stored draft) has for the same node and header; with nothing to keep
 * it is a 400. Anything else is what the community typed, sealed as it is.
 */
export async function sealGraph(
  box: SecretBoxConfig,
  workflowId: string,
  graph: Graph,
  previous: Graph | null,
): Promise<Graph> {
  const out = copy(graph);
  const kept = new Map(webhookHeaderSlots(previous).map((s) => [s.field, s.holder[s.key] as string]));
  for (const { holder, key, field, nodeId } of webhookHeaderSlots(out)) {
    const value = holder[key] as string;
    if (value === SECRET_MASK) {
      const old = kept.get(field);
      if (old === undefined) {
        throw new BadRequest(`Node ${nodeId}: header ${key} has no saved value to keep; type its value`, [
          { nodeId, message: `header ${key}: type its value` },
        ]);
      }
      holder[key] = isSealed(old) ? old : await seal(box, old, contextOf(workflowId, field));
      continue;
    }
    if (value.length > HEADER_VALUE_MAX) {
      throw new BadRequest(`Node ${nodeId}: header ${key} is longer than ${HEADER_VALUE_MAX} characters`, [
        { nodeId, message: `header ${key}: at most ${HEADER_VALUE_MAX} characters` },
      ]);
    }
    holder[key] = await seal(box, value, contextOf(workflowId, field));
  }
  return out;
}

/** The graph as the API shows it: every header value replaced by SECRET_MASK. */
export function maskGraph<G extends Graph>(graph: G): G {
  const out = structuredClone(graph);
  for (const { holder, key } of webhookHeaderSlots(out)) holder[key] = SECRET_MASK;
  return out;
}

/**
 * One node's headers opened for the request that sends them (the runner, inside the node's
 * step). A value still in clear (a row from before sealing that `rotate-key` has not reached) is
 * used as it is; one that does not open (wrong key, moved between workflows) throws.
 */
export async function openHeaders(
  box: SecretBoxConfig,
  workflowId: string,
  nodeId: string,
  headers: Record<string, string>,
): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    out[name] = isSealed(value) ? await open(box, value, contextOf(workflowId, headerField(nodeId, name))) : value;
  }
  return out;
}
