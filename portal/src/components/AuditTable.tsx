import type { Schemas } from "../api/client.ts";
import { DataTable } from "./table.tsx";

type Entry = Schemas["AuditEntry"];

/** A value as one short line ("on", "10", "a, b"), long ones cut. */
const short = (v: unknown): string => {
  if (v === null || v === undefined || v === "") return "—";
  if (typeof v === "boolean") return v ? "on" : "off";
  const text = Array.isArray(v) ? v.map(short).join(", ") : typeof v === "object" ? JSON.stringify(v) : String(v);
  return text.length > 80 ? `${text.slice(0, 79)}…` : text;
};

/** The changed fields of a configuration change, "field: from → to", or the entry's other details. */
function Change({ e }: { e: Entry }) {
  const d = (e.details ?? {}) as { from?: Record<string, unknown>; to?: Record<string, unknown> };
  if (d.from && d.to)
    return (
      <ul className="changes">
        {Object.keys(d.to).map((k) => (
          <li key={k}>
            {k}: {short(d.from?.[k])} → {short(d.to?.[k])}
          </li>
        ))}
      </ul>
    );
  if (d.to) return <span className="muted">created</span>;
  if (d.from) return <span className="muted">deleted</span>;
  const rest = Object.entries(e.details ?? {}).filter(([k]) => !["name", "actorName", "simulated"].includes(k));
  return rest.length ? <span className="muted">{rest.map(([k, v]) => `${k}: ${short(v)}`).join(" · ")}</span> : null;
}

/** Audit entries with names (who, what), from → to, and simulated runs marked as tests. */
export function AuditTable({ entries, caption }: { entries: Entry[]; caption: string }) {
  return (
    <DataTable
      caption={caption}
      rows={entries}
      rowKey={(e) => e.id}
      rowProps={(e) => ({ "data-action": e.action, "data-simulated": String(e.details?.simulated === true) })}
      columns={[
        { label: "When", cell: (e) => new Date(e.occurredAt).toLocaleString() },
        {
          label: "Action",
          cell: (e) => (
            <>
              <code>{e.action}</code>
              {e.details?.simulated === true && <span className="badge">test</span>}
            </>
          ),
        },
        { label: "Outcome", cell: (e) => <span className={`outcome-${e.outcome}`}>{e.outcome}</span> },
        {
          label: "Who",
          wrap: true,
          cell: (e) =>
            e.actorName ?? (e.actorType === "system" ? "WaddleBot" : <span className="muted">{e.actorType}</span>),
        },
        {
          label: "What",
          wrap: true,
          cell: (e) => e.targetName ?? (e.targetType ? <span className="muted">{e.targetType}</span> : ""),
        },
        { label: "Change", wrap: true, cell: (e) => <Change e={e} /> },
      ]}
    />
  );
}
