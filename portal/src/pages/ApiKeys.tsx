import { useState } from "react";
import { api, type Schemas } from "../api/client.ts";
import { useConfirm } from "../components/confirm.tsx";
import { DataTable } from "../components/table.tsx";
import { useToast } from "../components/toast.tsx";
import { CopyButton, Empty, ErrorBox, Loaded, Page, RowButtons, useAction, useAsync } from "../components/ui.tsx";
import { KeyForm } from "./KeyForm.tsx";

type ApiKey = Schemas["ApiKey"];

/** Your own API keys (per user): make one with scopes and expiry (shown once), list, regenerate, revoke. */
export default function ApiKeys() {
  const keys = useAsync(() => api.get("/api/v1/keys"), []);
  const [fresh, setFresh] = useState<{ name: string; key: string } | null>(null);
  const act = useAction();
  const toast = useToast();
  const { confirm, dialog } = useConfirm();
  const regenerate = async (k: ApiKey) => {
    const ok = await confirm({
      title: `Regenerate “${k.name}”?`,
      body: "The old key stops working at once; the new one is shown once.",
      confirmLabel: "Regenerate",
      danger: true,
    });
    if (!ok) return;
    const made = await act.run(() => api.post("/api/v1/keys/{keyId}/regenerate", { path: { keyId: k.id } }));
    if (made) setFresh({ name: made.name, key: made.key });
    await keys.reload();
  };
  const revoke = async (k: ApiKey) => {
    const ok = await confirm({
      title: `Revoke “${k.name}”?`,
      body: "Anything using it stops working.",
      confirmLabel: "Revoke",
      danger: true,
    });
    if (!ok) return;
    const done = await act.run(async () => {
      await api.delete("/api/v1/keys/{keyId}", { path: { keyId: k.id } });
      return true;
    });
    if (done) toast(`Revoked “${k.name}”`);
    await keys.reload();
  };
  return (
    <Page title="API keys">
      <p className="muted">
        Keys act as you, with your roles, on the same admin API the portal uses:{" "}
        <code>Authorization: Bearer wbk_…</code>.
      </p>
      <KeyForm
        onCreated={async (made) => {
          setFresh({ name: made.name, key: made.key });
          await keys.reload();
        }}
      />
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
      {dialog}
      <Loaded state={keys}>
        {(list) => {
          const live = list.filter((k) => !k.revokedAt);
          if (live.length === 0) return <Empty>You have no API keys.</Empty>;
          return (
            <DataTable
              caption="Your API keys"
              rows={live}
              rowKey={(k) => k.id}
              rowProps={(k) => ({ "data-key": k.name })}
              columns={[
                { label: "Name", wrap: true, cell: (k) => k.name },
                { label: "Key", cell: (k) => <code>{k.prefix}…</code> },
                {
                  label: "May do",
                  wrap: true,
                  cell: (k) => (k.scopes ? k.scopes.join(", ") : <span className="muted">everything I may do</span>),
                },
                { label: "Last used", cell: (k) => (k.lastUsedAt ? new Date(k.lastUsedAt).toLocaleString() : "never") },
                { label: "Expires", cell: (k) => (k.expiresAt ? new Date(k.expiresAt).toLocaleDateString() : "never") },
                {
                  label: "Actions",
                  actions: true,
                  cell: (k) => (
                    <RowButtons
                      name={k.name}
                      first={["Regenerate", () => void regenerate(k)]}
                      second={["Revoke", () => void revoke(k)]}
                    />
                  ),
                },
              ]}
            />
          );
        }}
      </Loaded>
    </Page>
  );
}
