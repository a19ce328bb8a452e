import { type FormEvent, useState } from "react";
import { api } from "../api/client.ts";
import { AuditTable } from "../components/AuditTable.tsx";
import { Empty, Loaded, Page, useAsync } from "../components/ui.tsx";
import { useCommunityId } from "../session.ts";

const PAGE_SIZE = 25;
/** Offered while typing the action filter (any action can be typed). */
const ACTIONS = [
  "command.create",
  "command.update",
  "command.delete",
  "rule.create",
  "rule.update",
  "rule.delete",
  "cooldowns.update",
  "overlay.alerts_update",
  "overlay.token_rotated",
  "member.role",
  "member.invite",
  "auth.login",
  "api_key.create",
  "simulate.run",
];
type Filters = { action: string; outcome: "" | "success" | "denied" | "failure" };

/** The community's audit trail, newest first: filter by action and outcome, page back in time. */
export default function Audit() {
  const communityId = useCommunityId();
  const [draft, setDraft] = useState<Filters>({ action: "", outcome: "" });
  const [filters, setFilters] = useState<Filters>(draft);
  // Cursor paging: each page starts before the oldest entry of the one before it.
  const [cursors, setCursors] = useState<string[]>([]);
  const before = cursors.at(-1);
  const entries = useAsync(
    () =>
      api.get("/api/v1/audit", {
        query: {
          communityId,
          limit: PAGE_SIZE,
          before,
          action: filters.action || undefined,
          outcome: filters.outcome || undefined,
        },
      }),
    [communityId, before, filters],
  );
  const apply = (e: FormEvent) => {
    e.preventDefault();
    setCursors([]);
    setFilters(draft);
  };
  return (
    <Page title="Audit trail">
      <form className="card inline" onSubmit={apply} aria-label="Filter the audit trail">
        <label className="grow">
          Action
          <input
            name="action"
            value={draft.action}
            onChange={(e) => setDraft({ ...draft, action: e.target.value })}
            placeholder="e.g. command.update"
            list="audit-actions"
          />
          <datalist id="audit-actions">
            {ACTIONS.map((a) => (
              <option key={a} value={a} />
            ))}
          </datalist>
        </label>
        <label>
          Outcome
          <select
            value={draft.outcome}
            onChange={(e) => setDraft({ ...draft, outcome: e.target.value as Filters["outcome"] })}
          >
            <option value="">any</option>
            <option>success</option>
            <option>denied</option>
            <option>failure</option>
          </select>
        </label>
        <button type="submit">Filter</button>
      </form>
      <Loaded state={entries}>
        {(list) => (
          <>
            {list.length === 0 ? (
              <Empty>No entries{cursors.length ? " further back" : " match"}.</Empty>
            ) : (
              <AuditTable entries={list} caption="Audit trail" />
            )}
            <div className="buttons pager">
              <button
                type="button"
                className="secondary"
                disabled={cursors.length === 0}
                onClick={() => setCursors(cursors.slice(0, -1))}
              >
                Newer
              </button>
              <button
                type="button"
                className="secondary"
                disabled={list.length < PAGE_SIZE}
                onClick={() => setCursors([...cursors, list.at(-1)!.occurredAt])}
              >
                Older
              </button>
            </div>
          </>
        )}
      </Loaded>
    </Page>
  );
}
