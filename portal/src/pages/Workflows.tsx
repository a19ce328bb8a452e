import { type FormEvent, useState } from "react";
import { api } from "../api/client.ts";
import { Empty, ErrorBox, Loaded, Page, useAction, useAsync } from "../components/ui.tsx";
import { can, useCommunityId, useSession } from "../session.ts";
import { Builder } from "./workflows/Builder.tsx";
import { Webhooks } from "./workflows/Webhooks.tsx";

/** The community's workflows: create (or from a template), open in the visual builder. */
export default function Workflows() {
  const session = useSession();
  const communityId = useCommunityId();
  const writable = can(session, "workflows:write");
  const path = { communityId };
  const list = useAsync(() => api.get("/api/v1/communities/{communityId}/workflows", { path }), [communityId]);
  const types = useAsync(() => api.get("/api/v1/workflow-node-types"), []);
  const templates = useAsync(() => api.get("/api/v1/workflow-templates"), []);
  const [open, setOpen] = useState<string | null>(null);
  const [name, setName] = useState("");
  const create = useAction();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const row = await create.run(() => api.post("/api/v1/communities/{communityId}/workflows", { path }, { name }));
    if (row) {
      setName("");
      await list.reload();
      setOpen(row.id);
    }
  };
  const current = list.data?.find((w) => w.id === open);
  return (
    <Page title="Workflows">
      <ErrorBox message={create.error} />
      {writable && (
        <form className="inline" onSubmit={submit}>
          <label>
            New workflow{" "}
            <input name="name" value={name} onChange={(e) => setName(e.target.value)} required maxLength={100} />
          </label>
          <button type="submit" disabled={create.busy}>
            Create
          </button>
          {templates.data && (
            <select
              aria-label="Create from a template"
              value=""
              onChange={async (e) => {
                const templateId = e.target.value;
                if (!templateId) return;
                const rows = await create.run(() =>
                  api.post("/api/v1/communities/{communityId}/workflows/from-template", { path }, { templateId }),
                );
                if (rows) await list.reload();
              }}
            >
              <option value="">From a template…</option>
              {templates.data.map((t) => (
                <option key={t.id} value={t.id}>
                  {t.name}
                </option>
              ))}
            </select>
          )}
        </form>
      )}
      <Loaded state={list}>
        {(rows) =>
          rows.length === 0 ? (
            <Empty>No workflows yet.</Empty>
          ) : (
            <ul className="wf-list">
              {rows.map((w) => (
                <li key={w.id}>
                  <button type="button" className={w.id === open ? "" : "secondary"} onClick={() => setOpen(w.id)}>
                    {w.name}
                  </button>{" "}
                  <span className="muted">
                    {w.status}
                    {w.version ? ` v${w.version}` : ""}
                    {w.triggerCommand ? ` · !${w.triggerCommand}` : ""}
                  </span>
                </li>
              ))}
            </ul>
          )
        }
      </Loaded>
      {current && types.data && (
        <Builder
          key={current.id}
          communityId={communityId}
          workflowId={current.id}
          graph={current.graph}
          types={types.data}
          writable={writable}
          onSaved={() => void list.reload()}
        />
      )}
      {current && (
        <Webhooks key={`hooks-${current.id}`} communityId={communityId} workflowId={current.id} writable={writable} />
      )}
    </Page>
  );
}
