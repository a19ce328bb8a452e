import {
  addEdge,
  Background,
  type Connection,
  Controls,
  type Edge,
  ReactFlow,
  ReactFlowProvider,
  useEdgesState,
  useNodesState,
  useReactFlow,
} from "@xyflow/react";
import "@xyflow/react/dist/style.css";
import { type DragEvent, useCallback, useEffect, useMemo, useState } from "react";
import { api } from "../../api/client.ts";
import { ErrorBox, useAction } from "../../components/ui.tsx";
import { ConfigForm } from "./ConfigForm.tsx";
import {
  defaultConfig,
  fromFlow,
  type Issue,
  type NodeType,
  newId,
  portsFor,
  toFlow,
  type WfGraph,
  type WfNode,
} from "./convert.ts";
import { categories, DRAG_TYPE, Marks, nodeTypes, type Trace } from "./NodeView.tsx";

interface Props {
  communityId: string;
  workflowId: string;
  graph: WfGraph;
  types: NodeType[];
  writable: boolean;
  onSaved: () => void;
}

function Canvas(props: Props) {
  const path = { communityId: props.communityId, workflowId: props.workflowId };
  const initial = useMemo(() => toFlow(props.graph, props.types), [props.graph, props.types]);
  const [nodes, setNodes, onNodesChange] = useNodesState<WfNode>(initial.nodes);
  const [edges, setEdges, onEdgesChange] = useEdgesState<Edge>(initial.edges);
  const [issues, setIssues] = useState<Issue[]>([]);
  const [trace, setTrace] = useState<Trace>([]);
  const [selected, setSelected] = useState<string | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const action = useAction();
  const flow = useReactFlow();
  const graph = useMemo(() => fromFlow(nodes, edges), [nodes, edges]);
  const portsOf = useCallback((t: string) => props.types.find((x) => x.type === t)?.ports ?? ["out"], [props.types]);

  // Live validation: the API's own rules, a moment after each change.
  const key = JSON.stringify(graph);
  useEffect(() => {
    const timer = setTimeout(async () => {
      try {
        const res = await api.post(
          "/api/v1/communities/{communityId}/workflows/validate",
          { path: { communityId: props.communityId } },
          { graph: JSON.parse(key) },
        );
        setIssues(res.issues);
      } catch {}
    }, 300);
    return () => clearTimeout(timer);
  }, [key, props.communityId]);

  const marks = useMemo(() => {
    const byNode = new Map<string, string[]>();
    for (const i of issues) if (i.nodeId) byNode.set(i.nodeId, [...(byNode.get(i.nodeId) ?? []), i.message]);
    return { issues: byNode, trace: new Map(trace.map((t) => [t.nodeId, t])) };
  }, [issues, trace]);

  const onConnect = useCallback(
    (c: Connection) => setEdges((es) => addEdge({ ...c, id: `e${Date.now().toString(36)}${es.length}` }, es)),
    [setEdges],
  );
  const addNode = (type: string, position: { x: number; y: number }) => {
    const def = props.types.find((t) => t.type === type);
    if (!def) return;
    const id = newId(type, new Set(nodes.map((n) => n.id)));
    const config = defaultConfig(def.configSchema);
    setNodes((ns) => [
      ...ns,
      { id, type: "wf", position, data: { type, config, ports: portsFor(type, config, portsOf), issues: [] } },
    ]);
    setSelected(id);
  };
  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    addNode(e.dataTransfer.getData(DRAG_TYPE), flow.screenToFlowPosition({ x: e.clientX, y: e.clientY }));
  };
  const updateConfig = (id: string, config: Record<string, unknown>) =>
    setNodes((ns) =>
      ns.map((n) =>
        n.id === id ? { ...n, data: { ...n.data, config, ports: portsFor(n.data.type, config, portsOf) } } : n,
      ),
    );

  const save = () =>
    action.run(() => api.patch("/api/v1/communities/{communityId}/workflows/{workflowId}", { path }, { graph }));
  const publish = async () => {
    if (!(await save())) return;
    const out = await action.run(() =>
      api.post("/api/v1/communities/{communityId}/workflows/{workflowId}/publish", { path }),
    );
    if (out) {
      setNote(`Published version ${out.version}`);
      props.onSaved();
    }
  };
  const runNow = async () => {
    // 202 Started: the client types 200/201 answers only.
    const started = (await action.run(() =>
      api.post("/api/v1/communities/{communityId}/workflows/{workflowId}/execute", { path }, { data: {} }),
    )) as { executionId: string } | undefined;
    if (!started) return;
    setNote("Running…");
    for (let i = 0; i < 60; i++) {
      const ex = await api.get("/api/v1/communities/{communityId}/workflow-executions/{executionId}", {
        path: { communityId: props.communityId, executionId: started.executionId },
      });
      setTrace(ex.nodes as Trace);
      if (ex.status !== "queued" && ex.status !== "running") {
        setNote(`Execution ${ex.status}${ex.error ? `: ${ex.error}` : ""}`);
        return;
      }
      await new Promise((r) => setTimeout(r, 500));
    }
  };

  const node = nodes.find((n) => n.id === selected);
  const traced = selected ? marks.trace.get(selected) : undefined;
  return (
    <div className="wf-builder">
      <aside className="wf-palette" aria-label="Node palette">
        {categories(props.types).map(([category, list]) => (
          <section key={category}>
            <h3>{category}</h3>
            {(list ?? []).map((t) => (
              <button
                type="button"
                key={t.type}
                disabled={!props.writable}
                className="wf-palette-item"
                // Keyboard users add a node with Enter (it lands below the others) instead of dragging.
                onKeyDown={(e) => {
                  if (props.writable && e.key === "Enter") addNode(t.type, { x: 0, y: 120 * nodes.length });
                }}
                draggable={props.writable}
                data-palette={t.type}
                onDragStart={(e) => {
                  e.dataTransfer.setData(DRAG_TYPE, t.type);
                  e.dataTransfer.effectAllowed = "move";
                }}
              >
                {t.type}
              </button>
            ))}
          </section>
        ))}
      </aside>
      <div className="wf-main">
        <div className="buttons">
          {props.writable && (
            <>
              <button
                type="button"
                disabled={action.busy}
                onClick={() => save().then((ok) => ok && setNote("Draft saved"))}
              >
                Save draft
              </button>
              <button type="button" disabled={action.busy || issues.length > 0} onClick={publish}>
                Publish
              </button>
              <button type="button" className="secondary" disabled={action.busy} onClick={runNow}>
                Run now
              </button>
            </>
          )}
          <span className="muted" role="status">
            {issues.length ? `${issues.length} problem(s)` : "Valid"}
            {note ? ` · ${note}` : ""}
          </span>
        </div>
        <ErrorBox message={action.error} />
        <Marks.Provider value={marks}>
          <div
            className="wf-canvas"
            role="application"
            aria-label="Workflow canvas"
            onDragOver={(e) => e.preventDefault()}
            onDrop={onDrop}
            data-testid="wf-canvas"
          >
            <ReactFlow
              nodes={nodes}
              edges={edges}
              nodeTypes={nodeTypes}
              onNodesChange={onNodesChange}
              onEdgesChange={onEdgesChange}
              onConnect={onConnect}
              onNodeClick={(_, n) => setSelected(n.id)}
              onPaneClick={() => setSelected(null)}
              // An empty graph starts at 1:1 (fitting nothing would zoom in to the maximum).
              fitView={initial.nodes.length > 0}
              defaultViewport={{ x: 40, y: 20, zoom: 1 }}
              maxZoom={1.5}
              nodesDraggable={props.writable}
              nodesConnectable={props.writable}
            >
              <Background />
              <Controls />
            </ReactFlow>
          </div>
        </Marks.Provider>
      </div>
      <aside className="wf-panel" aria-label="Node settings">
        {node ? (
          <>
            <h3>
              {node.data.type} <span className="muted">{node.id}</span>
            </h3>
            <ConfigForm
              key={node.id}
              schema={props.types.find((t) => t.type === node.data.type)?.configSchema ?? {}}
              value={node.data.config}
              onChange={(c) => updateConfig(node.id, c)}
            />
            {traced && (
              <div className="wf-trace">
                <h4>Last run: {traced.status}</h4>
                {traced.error && <p className="error">{traced.error}</p>}
                <h5>Input</h5>
                <pre data-trace="input">{JSON.stringify(traced.input, null, 1)}</pre>
                <h5>Output</h5>
                <pre data-trace="output">{JSON.stringify(traced.output, null, 1)}</pre>
              </div>
            )}
            {props.writable && (
              <button
                type="button"
                className="danger"
                onClick={() => setNodes((ns) => ns.filter((n) => n.id !== node.id))}
              >
                Delete node
              </button>
            )}
          </>
        ) : (
          <p className="muted">
            Drag a node from the palette, connect a port to a node's top, click a node to set it up.
          </p>
        )}
      </aside>
    </div>
  );
}

/** The visual builder of one workflow (React Flow). */
export function Builder(props: Props) {
  return (
    <ReactFlowProvider>
      <Canvas {...props} />
    </ReactFlowProvider>
  );
}
