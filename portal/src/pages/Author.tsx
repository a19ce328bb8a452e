import { type FormEvent, useState } from "react";
import { api, type Schemas } from "../api/client.ts";
import { UsageChart } from "../components/UsageChart.tsx";
import { Empty, ErrorBox, Loaded, Page, useAction, useAsync } from "../components/ui.tsx";

/** A module author's page: their modules, publishing a version, usage across communities, reviews to answer. */
export default function Author() {
  const mine = useAsync(() => api.get("/api/v1/marketplace/modules", { query: { mine: "true", sort: "name" } }), []);
  return (
    <Page title="My modules">
      <p className="muted">
        Publish a new module with <code>POST /api/v1/marketplace/modules</code> (see the README, "Marketplace for
        authors"); publish its next versions, follow its usage and answer reviews here.
      </p>
      <Loaded state={mine}>
        {(page) =>
          page.items.length === 0 ? (
            <Empty>You have not published a module yet.</Empty>
          ) : (
            page.items.map((m) => <AuthorModule key={m.name} name={m.name} onChange={mine.reload} />)
          )
        }
      </Loaded>
    </Page>
  );
}

function AuthorModule({ name, onChange }: { name: string; onChange(): Promise<void> }) {
  const detail = useAsync(() => api.get("/api/v1/marketplace/modules/{name}", { path: { name } }), [name]);
  const usage = useAsync(() => api.get("/api/v1/marketplace/modules/{name}/analytics", { path: { name } }), [name]);
  const reviews = useAsync(() => api.get("/api/v1/marketplace/modules/{name}/reviews", { path: { name } }), [name]);
  return (
    <article className="card" data-author-module={name}>
      <Loaded state={detail}>
        {(m) => (
          <>
            <h2>
              {m.displayName} <span className="muted">{m.latestVersion}</span>
            </h2>
            <p className="muted">
              {m.installs} installs · {m.rating === null ? "no reviews" : `★ ${m.rating} (${m.reviews})`}
            </p>
            <PublishVersion
              module={m}
              onDone={async () => {
                await detail.reload();
                await onChange();
              }}
            />
          </>
        )}
      </Loaded>
      <h3>Usage, all communities</h3>
      <Loaded state={usage}>{(u) => <UsageChart usage={u} />}</Loaded>
      <h3>Reviews</h3>
      <Loaded state={reviews}>
        {(r) =>
          r.items.length === 0 ? (
            <p className="muted">No reviews yet.</p>
          ) : (
            <ul className="reviews">
              {r.items.map((x) => (
                <li key={x.id}>
                  <strong>{"★".repeat(x.rating)}</strong> {x.text} <span className="muted">— {x.author}</span>
                  {x.reply ? (
                    <p className="reply">You answered: {x.reply}</p>
                  ) : (
                    <Reply name={name} id={x.id} onDone={reviews.reload} />
                  )}
                </li>
              ))}
            </ul>
          )
        }
      </Loaded>
    </article>
  );
}

/** The next version, edited as the JSON manifest (prefilled from the latest, its patch number bumped). */
function PublishVersion({
  module: m,
  onDone,
}: {
  module: Schemas["MarketplaceModuleDetail"];
  onDone(): Promise<void>;
}) {
  const latest = m.versions[0];
  const bumped = latest ? latest.version.replace(/(\d+)$/, (n) => String(Number(n) + 1)) : "1.0.0";
  const template = latest
    ? {
        version: bumped,
        engine: latest.engine,
        config: latest.config,
        commands: latest.commands,
        events: latest.events,
        settings: latest.settings,
        permissions: latest.permissions,
        price: latest.price.type === "free" ? { type: "free" } : latest.price,
      }
    : {};
  const [text, setText] = useState(JSON.stringify(template, null, 2));
  const publish = useAction();
  const [published, setPublished] = useState<string | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      publish.setError("The manifest is not valid JSON");
      return;
    }
    const out = await publish.run(() =>
      api.post("/api/v1/marketplace/modules/{name}/versions", { path: { name: m.name } }, body as never),
    );
    if (out) {
      setPublished(out.version);
      await onDone();
    }
  };
  return (
    <form onSubmit={submit} aria-label={`Publish a version of ${m.displayName}`}>
      <label>
        Version manifest (JSON)
        <textarea rows={10} className="code" value={text} onChange={(e) => setText(e.target.value)} />
      </label>
      <ErrorBox message={publish.error} />
      {published && <p role="status">Published {published}.</p>}
      <button type="submit" disabled={publish.busy}>
        Publish version
      </button>
    </form>
  );
}

function Reply({ name, id, onDone }: { name: string; id: string; onDone(): Promise<void> }) {
  const [text, setText] = useState("");
  const send = useAction();
  return (
    <form
      onSubmit={async (e) => {
        e.preventDefault();
        if (
          await send.run(() =>
            api.post(
              "/api/v1/marketplace/modules/{name}/reviews/{reviewId}/reply",
              { path: { name, reviewId: id } },
              { text },
            ),
          )
        )
          await onDone();
      }}
    >
      <label>
        Answer
        <input value={text} required maxLength={2000} onChange={(e) => setText(e.target.value)} />
      </label>
      <ErrorBox message={send.error} />
      <button type="submit" disabled={send.busy}>
        Answer
      </button>
    </form>
  );
}
