import { type FormEvent, useState } from "react";
import { api, type Schemas } from "../api/client.ts";
import { CopyButton, Empty, ErrorBox, Loaded, Page, RowActions, useAction, useAsync } from "../components/ui.tsx";

type ApiKey = Schemas["ApiKey"];

/** Your own API keys (per user): make one (shown once), list, regenerate, revoke. */
export default function ApiKeys() {
  const keys = useAsync(() => api.get("/api/v1/keys"), []);
  const [name, setName] = useState("");
  const [fresh, setFresh] = useState<{ name: string; key: string } | null>(null);
  const act = useAction();
  const create = async (e: FormEvent) => {
    e.preventDefault();
    const made = await act.run(() => api.post("/api/v1/keys", undefined, { name }));
    if (made) {
      setFresh({ name: made.name, key: made.key });
      setName("");
      await keys.reload();
    }
  };
  const regenerate = async (k: ApiKey) => {
    if (!window.confirm(`Regenerate “${k.name}”? The old key stops working at once.`)) return;
    const made = await act.run(() => api.post("/api/v1/keys/{keyId}/regenerate", { path: { keyId: k.id } }));
    if (made) setFresh({ name: made.name, key: made.key });
    await keys.reload();
  };
  const revoke = async (k: ApiKey) => {
    if (!window.confirm(`Revoke “${k.name}”? Anything using it stops working.`)) return;
    await act.run(() => api.delete("/api/v1/keys/{keyId}", { path: { keyId: k.id } }));
    await keys.reload();
  };
  return (
    <Page title="API keys">
      <p className="muted">
        Keys act as you, with your roles, on the same admin API the portal uses:{" "}
        <code>Authorization: Bearer wbk_…</code>.
      </p>
      <form className="card inline" onSubmit={create} aria-label="Create an API key">
        <label className="grow">
          Name
          <input
            name="key-name"
            required
            maxLength={100}
            value={name}
            onChange={(e) => setName(e.target.value)}
            placeholder="e.g. stream deck"
          />
        </label>
        <button type="submit" disabled={act.busy}>
          Create key
        </button>
      </form>
      <ErrorBox message={act.error} />
      {fresh && (
        <div className="card notice" role="status" data-testid="new-key">
          <p>
            <strong>{fresh.name}</strong>: copy this key now — it is shown only once.
          </p>
          <input
            className="url"
            readOnly
            value={fresh.key}
            aria-label="New API key"
            onFocus={(e) => e.target.select()}
          />
          <div className="buttons">
            <CopyButton text={fresh.key} label="Copy key" />
            <button type="button" className="secondary" onClick={() => setFresh(null)}>
              Done
            </button>
          </div>
        </div>
      )}
      <Loaded state={keys}>
        {(list) => {
          const live = list.filter((k) => !k.revokedAt);
          if (live.length === 0) return <Empty>You have no API keys.</Empty>;
          return (
            <div className="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th scope="col">Name</th>
                    <th scope="col">Key</th>
                    <th scope="col">Last used</th>
                    <th scope="col">Expires</th>
                    <th scope="col">Actions</th>
                  </tr>
                </thead>
                <tbody>
                  {live.map((k) => (
                    <tr key={k.id} data-key={k.name}>
                      <td>{k.name}</td>
                      <td>
                        <code>{k.prefix}…</code>
                      </td>
                      <td>{k.lastUsedAt ? new Date(k.lastUsedAt).toLocaleString() : "never"}</td>
                      <td>{k.expiresAt ? new Date(k.expiresAt).toLocaleDateString() : "never"}</td>
                      <RowActions
                        name={k.name}
                        first={["Regenerate", () => void regenerate(k)]}
                        second={["Revoke", () => void revoke(k)]}
                      />
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          );
        }}
      </Loaded>
    </Page>
  );
}
