import { type FormEvent, useState } from "react";
import { api, type Schemas } from "../api/client.ts";
import { initialSettings, SettingsFields, type SettingsValues } from "../components/SettingsFields.tsx";
import { CopyButton, ErrorBox, Loaded, Page, useAction, useAsync } from "../components/ui.tsx";
import { can, useCommunityId, useSession } from "../session.ts";

type Detail = Schemas["MarketplaceModuleDetail"];

/** One marketplace module: versions, reviews, and installing a version with its settings. */
export function MarketplaceModule({ name, onBack }: { name: string; onBack(): void }) {
  const detail = useAsync(() => api.get("/api/v1/marketplace/modules/{name}", { path: { name } }), [name]);
  const reviews = useAsync(() => api.get("/api/v1/marketplace/modules/{name}/reviews", { path: { name } }), [name]);
  return (
    <Page
      title={detail.data?.displayName ?? name}
      actions={
        <button type="button" className="secondary" onClick={onBack}>
          Back to the marketplace
        </button>
      }
    >
      <Loaded state={detail}>
        {(m) => (
          <>
            <p>{m.description}</p>
            <p className="muted">
              {m.name} · by {m.author?.displayName ?? "WaddleBot"} · {m.installs} installs ·{" "}
              {m.rating === null ? "no reviews yet" : `★ ${m.rating} from ${m.reviews}`}
              {m.homepage && (
                <>
                  {" · "}
                  <a href={m.homepage} target="_blank" rel="noreferrer">
                    homepage
                  </a>
                </>
              )}
            </p>
            <h2>Versions</h2>
            <table>
              <thead>
                <tr>
                  <th>Version</th>
                  <th>Commands</th>
                  <th>Price</th>
                  <th>Published</th>
                </tr>
              </thead>
              <tbody>
                {m.versions.map((v) => (
                  <tr key={v.version} data-version={v.version}>
                    <td>
                      {v.version} {v.yanked && <span className="badge danger">yanked</span>}
                    </td>
                    <td>{v.commands.map((c) => `!${c.name}`).join(", ") || "—"}</td>
                    <td>
                      {v.price.type === "free"
                        ? "free"
                        : `${(v.price.amount / 100).toFixed(2)} ${v.price.currency.toUpperCase()}/month`}
                    </td>
                    <td>{v.publishedAt.slice(0, 10)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            <InstallForm module={m} />
          </>
        )}
      </Loaded>
      <h2>Reviews</h2>
      <Loaded state={reviews}>
        {(r) => (
          <>
            <p className="muted">{r.count === 0 ? "No reviews yet." : `★ ${r.average} from ${r.count}`}</p>
            <ul className="reviews">
              {r.items.map((x) => (
                <li key={x.id}>
                  <strong>{"★".repeat(x.rating)}</strong> {x.text} <span className="muted">— {x.author}</span>
                  {x.reply && <p className="reply">Author: {x.reply}</p>}
                </li>
              ))}
            </ul>
            <ReviewForm name={name} onDone={reviews.reload} />
          </>
        )}
      </Loaded>
    </Page>
  );
}

function InstallForm({ module: m }: { module: Detail }) {
  const session = useSession();
  const communityId = useCommunityId();
  const live = m.versions.filter((v) => !v.yanked);
  const [version, setVersion] = useState(live[0]?.version ?? "");
  const chosen = m.versions.find((v) => v.version === version);
  const [settings, setSettings] = useState<SettingsValues>(() => initialSettings(chosen?.settings ?? {}));
  const install = useAction();
  const [done, setDone] = useState<Schemas["Installation"] | null>(null);
  if (!can(session, "modules:write")) return <p className="muted">An admin of this community can install it.</p>;
  if (!chosen) return <p className="muted">Every version is yanked: it cannot be installed.</p>;
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const out = await install.run(() =>
      api.post(
        "/api/v1/communities/{communityId}/installations",
        { path: { communityId } },
        { module: m.name, version, settings, commands: {} },
      ),
    );
    if (out) setDone(out);
  };
  if (done)
    return (
      <div className="card" role="status" data-testid="installed">
        <p>
          Installed {m.displayName} {done.version}: {done.commands.map((c) => `${c.prefix}${c.name}`).join(", ")}.
        </p>
        {done.webhookSecret && (
          <p>
            Its webhook secret (shown once; the module's author needs it to verify calls):{" "}
            <code>{done.webhookSecret}</code> <CopyButton text={done.webhookSecret} label="Copy secret" />
          </p>
        )}
        {done.checkoutUrl && (
          <p>
            This is a paid module: <a href={done.checkoutUrl}>complete the payment</a> to start it.
          </p>
        )}
      </div>
    );
  return (
    <form className="card" onSubmit={submit} aria-label={`Install ${m.displayName}`}>
      <h2>Install in {session.community?.name}</h2>
      <label>
        Version
        <select
          value={version}
          onChange={(e) => {
            setVersion(e.target.value);
            setSettings(initialSettings(m.versions.find((v) => v.version === e.target.value)?.settings ?? {}));
          }}
        >
          {live.map((v) => (
            <option key={v.version}>{v.version}</option>
          ))}
        </select>
      </label>
      {chosen.permissions.length > 0 && <p className="muted">It asks for: {chosen.permissions.join(", ")}.</p>}
      <SettingsFields schema={chosen.settings} values={settings} onChange={setSettings} />
      <ErrorBox message={install.error} />
      <button type="submit" disabled={install.busy}>
        {install.busy ? "Installing…" : "Install"}
      </button>
    </form>
  );
}

function ReviewForm({ name, onDone }: { name: string; onDone(): Promise<void> }) {
  const [rating, setRating] = useState(5);
  const [text, setText] = useState("");
  const send = useAction();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const out = await send.run(() =>
      api.post("/api/v1/marketplace/modules/{name}/reviews", { path: { name } }, { rating, text }),
    );
    if (out) await onDone();
  };
  return (
    <form className="card" onSubmit={submit} aria-label="Write a review">
      <label>
        Rating
        <select value={rating} onChange={(e) => setRating(Number(e.target.value))}>
          {[5, 4, 3, 2, 1].map((n) => (
            <option key={n} value={n}>
              {n}
            </option>
          ))}
        </select>
      </label>
      <label>
        Review
        <textarea value={text} maxLength={2000} onChange={(e) => setText(e.target.value)} />
      </label>
      <ErrorBox message={send.error} />
      <button type="submit" disabled={send.busy}>
        Post review
      </button>
    </form>
  );
}
