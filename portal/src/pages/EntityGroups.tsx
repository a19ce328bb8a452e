import { type FormEvent, useState } from "react";
import { api, type Schemas } from "../api/client.ts";
import { Empty, ErrorBox, Loaded, useAction, useAsync } from "../components/ui.tsx";

type Platform = Schemas["EntityGroupInput"]["platform"];
const HINT: Record<Platform, string> = {
  discord: "the role's id (Server settings → Roles → Copy role ID)",
  slack: "the user group's id (S…)",
  twitch: "vip or moderator",
};

/** Entity groups: holders of a label get a role on Discord, a Slack user group, or Twitch VIP/moderator. */
export function EntityGroups(props: { communityId: string; labels: Schemas["Label"][]; writable: boolean }) {
  const path = { communityId: props.communityId };
  const groups = useAsync(
    () => api.get("/api/v1/communities/{communityId}/entity-groups", { path }),
    [props.communityId],
  );
  const [form, setForm] = useState({ label: "", platform: "discord" as Platform, roleId: "" });
  const save = useAction();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const made = await save.run(() => api.post("/api/v1/communities/{communityId}/entity-groups", { path }, form));
    if (made) {
      setForm({ ...form, roleId: "" });
      await groups.reload();
    }
  };
  const del = async (groupId: string) => {
    if (!window.confirm("Delete this entity group? The roles it gave are taken back.")) return;
    const done = await save.run(() =>
      api.delete("/api/v1/communities/{communityId}/entity-groups/{groupId}", { path: { ...path, groupId } }),
    );
    if (done) await groups.reload();
  };
  return (
    <section className="card" aria-labelledby="groups-title">
      <h2 id="groups-title">Entity groups</h2>
      <p className="muted">Members with the label get the platform role; it is taken back when they lose it.</p>
      <Loaded state={groups}>
        {(list) =>
          list.length === 0 ? (
            <Empty>No entity groups.</Empty>
          ) : (
            <div className="table-wrap">
              <table className="data-table">
                <thead>
                  <tr>
                    <th scope="col">Label</th>
                    <th scope="col">Platform</th>
                    <th scope="col">Role</th>
                    {props.writable && <th scope="col">Actions</th>}
                  </tr>
                </thead>
                <tbody>
                  {list.map((g) => (
                    <tr key={g.id} data-group={`${g.label}:${g.platform}`}>
                      <td data-label="Label">{g.label}</td>
                      <td data-label="Platform">{g.platform}</td>
                      <td data-label="Role">
                        <code>{g.roleId}</code>
                      </td>
                      {props.writable && (
                        <td className="actions">
                          <button type="button" className="danger" onClick={() => void del(g.id)}>
                            Delete<span className="visually-hidden"> {`${g.label} on ${g.platform}`}</span>
                          </button>
                        </td>
                      )}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )
        }
      </Loaded>
      {props.writable && (
        <form className="inline" onSubmit={submit} aria-label="New entity group">
          <label>
            Label
            <select value={form.label} required onChange={(e) => setForm({ ...form, label: e.target.value })}>
              <option value="">Choose…</option>
              {props.labels.map((l) => (
                <option key={l.id} value={l.name}>
                  {l.name}
                </option>
              ))}
            </select>
          </label>
          <label>
            Platform
            <select value={form.platform} onChange={(e) => setForm({ ...form, platform: e.target.value as Platform })}>
              <option value="discord">Discord</option>
              <option value="slack">Slack</option>
              <option value="twitch">Twitch</option>
            </select>
          </label>
          <label className="grow">
            Role ({HINT[form.platform]})
            <input value={form.roleId} required onChange={(e) => setForm({ ...form, roleId: e.target.value })} />
          </label>
          <button type="submit" disabled={save.busy}>
            Add group
          </button>
        </form>
      )}
      <ErrorBox message={save.error} />
    </section>
  );
}
