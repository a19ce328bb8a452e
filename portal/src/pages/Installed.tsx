import { useState } from "react";
import { api, type Schemas } from "../api/client.ts";
import { initialSettings, SettingsFields, type SettingsValues } from "../components/SettingsFields.tsx";
import { UsageChart } from "../components/UsageChart.tsx";
import { Empty, ErrorBox, Loaded, Page, useAction, useAsync } from "../components/ui.tsx";
import { can, useCommunityId, useSession } from "../session.ts";

type Installation = Schemas["Installation"];

/** The community's marketplace modules: version, on/off, settings, usage, uninstall. */
export default function Installed() {
  const communityId = useCommunityId();
  const list = useAsync(
    () => api.get("/api/v1/communities/{communityId}/installations", { path: { communityId } }),
    [communityId],
  );
  return (
    <Page
      title="Installed modules"
      actions={
        <a className="button secondary" href="#/marketplace">
          Browse the marketplace
        </a>
      }
    >
      <Loaded state={list}>
        {(items) =>
          items.length === 0 ? (
            <Empty>No marketplace module is installed yet.</Empty>
          ) : (
            <div className="cards">
              {items.map((i) => (
                <InstalledCard key={i.id} installation={i} onChange={list.reload} />
              ))}
            </div>
          )
        }
      </Loaded>
    </Page>
  );
}

function InstalledCard({ installation: i, onChange }: { installation: Installation; onChange(): Promise<void> }) {
  const session = useSession();
  const communityId = useCommunityId();
  const writable = can(session, "modules:write");
  const path = { communityId, module: i.module };
  const detail = useAsync(
    () => api.get("/api/v1/marketplace/modules/{name}", { path: { name: i.module } }),
    [i.module],
  );
  const usage = useAsync(
    () => api.get("/api/v1/communities/{communityId}/installations/{module}/analytics", { path }),
    [i.id, i.version],
  );
  const [version, setVersion] = useState(i.version);
  const schema = detail.data?.versions.find((v) => v.version === i.version)?.settings ?? {};
  const [settings, setSettings] = useState<SettingsValues | null>(null);
  const act = useAction();
  const patch = async (body: Schemas["InstallationPatch"]) => {
    const out = await act.run(() =>
      api.patch("/api/v1/communities/{communityId}/installations/{module}", { path }, body),
    );
    if (out) await onChange();
  };
  return (
    <article className="card installation" data-installation={i.module}>
      <h2>
        {i.displayName} <span className="muted">{i.version}</span>{" "}
        {!i.enabled && <span className="badge">disabled</span>}
      </h2>
      {i.notice && (
        <p className="warning" role="note">
          {i.notice}
        </p>
      )}
      {i.subscription && <p className="muted">Subscription: {i.subscription.status}</p>}
      <p className="muted">Commands: {i.commands.map((c) => `${c.prefix}${c.name}`).join(", ") || "none"}</p>
      <ErrorBox message={act.error} />
      {writable && (
        <div className="buttons">
          <label>
            Version
            <select value={version} onChange={(e) => setVersion(e.target.value)}>
              {(detail.data?.versions ?? [{ version: i.version, yanked: false }]).map((v) => (
                <option key={v.version} value={v.version} disabled={v.yanked && v.version !== i.version}>
                  {v.version}
                  {v.yanked ? " (yanked)" : ""}
                </option>
              ))}
            </select>
          </label>
          <button type="button" disabled={act.busy || version === i.version} onClick={() => patch({ version })}>
            Change version
          </button>
          <button
            type="button"
            className="secondary"
            disabled={act.busy}
            onClick={() => patch({ enabled: !i.enabled })}
          >
            {i.enabled ? "Disable" : "Enable"}
          </button>
          <button
            type="button"
            className="danger"
            disabled={act.busy}
            onClick={async () => {
              if (!window.confirm(`Uninstall ${i.displayName}? Its commands stop at once.`)) return;
              if (await act.run(() => api.delete("/api/v1/communities/{communityId}/installations/{module}", { path })))
                await onChange();
            }}
          >
            Uninstall
          </button>
        </div>
      )}
      {writable && detail.data && (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void patch({ settings: settings ?? initialSettings(schema, i.settings) });
          }}
        >
          <SettingsFields
            schema={schema}
            values={settings ?? initialSettings(schema, i.settings)}
            onChange={setSettings}
          />
          {Object.keys((schema as { properties?: object }).properties ?? {}).length > 0 && (
            <button type="submit" disabled={act.busy}>
              Save settings
            </button>
          )}
        </form>
      )}
      <Loaded state={usage}>{(u) => <UsageChart usage={u} />}</Loaded>
    </article>
  );
}
