import { type FormEvent, useState } from "react";
import { api, type Schemas } from "../api/client.ts";
import { DataTable } from "../components/table.tsx";
import { Empty, Loaded, Page, useAsync } from "../components/ui.tsx";
import { useCommunityId } from "../session.ts";

type Query = {
  command?: string;
  status?: Schemas["Execution"]["status"];
  engine?: Schemas["Execution"]["engine"];
  userId?: string;
};
const STATUSES = ["success", "error", "timeout", "denied", "rate_limited"] as const;
const ENGINES = ["text", "builtin", "webhook", "lambda", "openwhisk"] as const;
const PAGE = 50;

/** Every command and module run, newest first, filtered by command, outcome, engine and caller; paged. */
export default function Executions() {
  const communityId = useCommunityId();
  const [draft, setDraft] = useState<Query>({});
  const [query, setQuery] = useState<Query>({});
  const [offset, setOffset] = useState(0);
  const runs = useAsync(
    () =>
      api.get("/api/v1/communities/{communityId}/executions", {
        path: { communityId },
        query: { ...query, limit: PAGE, offset },
      }),
    [communityId, query, offset],
  );
  const apply = (e: FormEvent) => {
    e.preventDefault();
    setOffset(0);
    setQuery(draft);
  };
  return (
    <Page title="Executions log">
      <form className="filters" onSubmit={apply} aria-label="Filter executions">
        <label>
          Command
          <input
            value={draft.command ?? ""}
            placeholder="!so"
            onChange={(e) => setDraft({ ...draft, command: e.target.value || undefined })}
          />
        </label>
        <label>
          Outcome
          <select
            value={draft.status ?? ""}
            onChange={(e) => setDraft({ ...draft, status: (e.target.value || undefined) as Query["status"] })}
          >
            <option value="">any</option>
            {STATUSES.map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        </label>
        <label>
          Engine
          <select
            value={draft.engine ?? ""}
            onChange={(e) => setDraft({ ...draft, engine: (e.target.value || undefined) as Query["engine"] })}
          >
            <option value="">any</option>
            {ENGINES.map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        </label>
        <label>
          Caller (platform user id)
          <input
            value={draft.userId ?? ""}
            onChange={(e) => setDraft({ ...draft, userId: e.target.value || undefined })}
          />
        </label>
        <button type="submit">Filter</button>
      </form>
      <Loaded state={runs}>
        {(result) =>
          result.items.length === 0 ? (
            <Empty>{Object.keys(query).length ? "No runs match." : "Nothing has run yet."}</Empty>
          ) : (
            <>
              <DataTable
                caption="Executions"
                rows={result.items}
                rowKey={(r) => r.id}
                rowProps={(r) => ({ "data-execution": r.command, "data-simulated": String(r.simulated) })}
                columns={[
                  { label: "When", cell: (r) => new Date(r.createdAt).toLocaleString() },
                  {
                    label: "Command",
                    cell: (r) => (
                      <>
                        <code>{r.command}</code>
                        {r.simulated && <span className="badge">test</span>}
                      </>
                    ),
                  },
                  {
                    label: "Outcome",
                    cell: (r) => (
                      <span className={`outcome-${r.status === "success" ? "ok" : "failure"}`}>{r.status}</span>
                    ),
                  },
                  { label: "Platform", cell: (r) => r.platform },
                  {
                    label: "Caller",
                    wrap: true,
                    cell: (r) => (r.simulated ? <span className="muted">Try it</span> : r.userId),
                  },
                  { label: "Engine", cell: (r) => r.engine },
                  { label: "Time", cell: (r) => `${r.durationMs} ms` },
                  { label: "Error", wrap: true, cell: (r) => r.error ?? "" },
                ]}
              />
              <div className="buttons pager">
                <button
                  type="button"
                  className="secondary"
                  disabled={offset === 0}
                  onClick={() => setOffset(Math.max(0, offset - PAGE))}
                >
                  Newer
                </button>
                <button
                  type="button"
                  className="secondary"
                  disabled={result.nextOffset === null}
                  onClick={() => setOffset(result.nextOffset ?? offset)}
                >
                  Older
                </button>
              </div>
            </>
          )
        }
      </Loaded>
    </Page>
  );
}
