import { Handle, type NodeProps, Position } from "@xyflow/react";
import { createContext, useContext } from "react";
import type { NodeType, WfNode } from "./convert.ts";

export type Trace = { nodeId: string; status: string; input: unknown; output: unknown; error: string | null }[];
/** What validation and the last run say about each node, beside the graph (so it never edits it). */
export const Marks = createContext<{ issues: Map<string, string[]>; trace: Map<string, Trace[number]> }>({
  issues: new Map(),
  trace: new Map(),
});
export const DRAG_TYPE = "application/waddlebot-node";

function WfNodeView({ id, data, selected }: NodeProps<WfNode>) {
  const { issues, trace } = useContext(Marks);
  const problems = issues.get(id) ?? [];
  const run = trace.get(id);
  const status = run?.status ?? (problems.length ? "invalid" : "idle");
  return (
    <div className={`wf-node status-${status}${selected ? " selected" : ""}`} data-node-id={id} data-status={status}>
      {!data.type.startsWith("trigger_") && <Handle type="target" position={Position.Top} id="in" />}
      <strong>{data.type}</strong>
      <span className="muted">{id}</span>
      {problems.map((p) => (
        <span key={p} className="wf-issue" role="alert">
          {p}
        </span>
      ))}
      <div className="wf-ports">
        {data.ports.map((port, i) => (
          <span key={port} className="wf-port" style={{ left: `${((i + 1) * 100) / (data.ports.length + 1)}%` }}>
            {port}
            <Handle type="source" position={Position.Bottom} id={port} data-port={port} />
          </span>
        ))}
      </div>
    </div>
  );
}
export const nodeTypes = { wf: WfNodeView };

/** Palette groups in the API's order. */
export function categories(types: NodeType[]): [string, NodeType[]][] {
  const groups = new Map<string, NodeType[]>();
  for (const t of types) groups.set(t.category, [...(groups.get(t.category) ?? []), t]);
  return [...groups];
}
