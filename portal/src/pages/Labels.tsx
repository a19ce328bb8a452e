import { type FormEvent, useState } from "react";
import { api, type Schemas } from "../api/client.ts";
import { Empty, ErrorBox, FormFooter, Loaded, Page, RowActions, useAction, useAsync } from "../components/ui.tsx";
import { can, useCommunityId, useSession } from "../session.ts";
import { EntityGroups } from "./EntityGroups.tsx";
import { BulkLabels, MemberLabels } from "./LabelMembers.tsx";

type Label = Schemas["Label"];

/** A label as a coloured chip (the colour is the admin's; the text stays readable on it). */
export const Chip = ({ label }: { label: Pick<Label, "name" | "color"> }) => (
  <span className="badge" style={{ borderColor: label.color, boxShadow: `inset 4px 0 0 ${label.color}` }}>
    {label.name}
  </span>
);

/** Labels: the catalogue, labels on members (one by one or a pasted list), and entity groups. */
export default function Labels() {
  const session = useSession();
  const communityId = useCommunityId();
  const writable = can(session, "labels:write");
  const path = { communityId };
  const labels = useAsync(() => api.get("/api/v1/communities/{communityId}/labels", { path }), [communityId]);
  const [editing, setEditing] = useState<Label | "new" | null>(null);
  const remove = useAction();
  const del = async (l: Label) => {
    if (!window.confirm(`Delete the label “${l.name}”? It leaves every member, and roles it gave are taken back.`))
      return;
    await remove.run(() =>
      api.delete("/api/v1/communities/{communityId}/labels/{labelId}", { path: { communityId, labelId: l.id } }),
    );
    await labels.reload();
  };
  return (
    <Page
      title="Labels"
      actions={
        writable && (
          <button type="button" onClick={() => setEditing("new")}>
            New label
          </button>
        )
      }
    >
      {editing && (
        <LabelForm
          communityId={communityId}
          label={editing === "new" ? null : editing}
          onCancel={() => setEditing(null)}
          onDone={async () => {
            setEditing(null);
            await labels.reload();
          }}
        />
      )}
      <ErrorBox message={remove.error} />
      <Loaded state={labels}>
        {(list) =>
          list.length === 0 ? (
            <Empty>No labels yet. A label groups members (at most 5 each) and can give them a platform role.</Empty>
          ) : (
            <div className="table-wrap">
              <table className="data-table">
                <thead>
                  <tr>
                    <th scope="col">Label</th>
                    <th scope="col">Description</th>
                    <th scope="col">Members</th>
                    {writable && <th scope="col">Actions</th>}
                  </tr>
                </thead>
                <tbody>
                  {list.map((l) => (
                    <tr key={l.id} data-label={l.name}>
                      <td data-label="Label">
                        <Chip label={l} />
                      </td>
                      <td data-label="Description" className="wrap">
                        {l.description || <span className="muted">none</span>}
                      </td>
                      <td data-label="Members">{l.users}</td>
                      {writable && (
                        <RowActions
                          name={l.name}
                          first={["Edit", () => setEditing(l)]}
                          second={["Delete", () => void del(l)]}
                        />
                      )}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )
        }
      </Loaded>
      {labels.data && labels.data.length > 0 && (
        <>
          <MemberLabels communityId={communityId} labels={labels.data} writable={writable} onChange={labels.reload} />
          {writable && <BulkLabels communityId={communityId} labels={labels.data} onDone={labels.reload} />}
          <EntityGroups communityId={communityId} labels={labels.data} writable={writable} />
        </>
      )}
    </Page>
  );
}

function LabelForm(props: {
  communityId: string;
  label: Label | null;
  onDone: () => Promise<void>;
  onCancel: () => void;
}) {
  const l = props.label;
  const [form, setForm] = useState({
    name: l?.name ?? "",
    color: l?.color ?? "#6b7280",
    description: l?.description ?? "",
  });
  const save = useAction();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const path = { communityId: props.communityId };
    const done = await save.run(() =>
      l
        ? api.patch("/api/v1/communities/{communityId}/labels/{labelId}", { path: { ...path, labelId: l.id } }, form)
        : api.post("/api/v1/communities/{communityId}/labels", { path }, form),
    );
    if (done) await props.onDone();
  };
  return (
    <form className="card form" onSubmit={submit} aria-label={l ? `Edit ${l.name}` : "New label"}>
      <label>
        Name
        <input value={form.name} maxLength={50} required onChange={(e) => setForm({ ...form, name: e.target.value })} />
      </label>
      <label>
        Colour
        <input type="color" value={form.color} onChange={(e) => setForm({ ...form, color: e.target.value })} />
      </label>
      <label>
        Description
        <input
          value={form.description}
          maxLength={200}
          onChange={(e) => setForm({ ...form, description: e.target.value })}
        />
      </label>
      <FormFooter error={save.error} busy={save.busy} onCancel={props.onCancel} />
    </form>
  );
}
