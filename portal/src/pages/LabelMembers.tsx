import { type FormEvent, useState } from "react";
import { ApiError, api, type Schemas } from "../api/client.ts";
import { ErrorBox, Loaded, useAction, useAsync } from "../components/ui.tsx";
import { Chip } from "./Labels.tsx";

type Label = Schemas["Label"];

const useMembers = (communityId: string) =>
  useAsync(() => api.get("/api/v1/communities/{communityId}/members", { path: { communityId } }), [communityId]);

/** One member's labels: pick the member, add a label, take one off. */
export function MemberLabels(props: {
  communityId: string;
  labels: Label[];
  writable: boolean;
  onChange: () => Promise<void>;
}) {
  const { communityId } = props;
  const members = useMembers(communityId);
  const [userId, setUserId] = useState("");
  const [adding, setAdding] = useState("");
  const current = useAsync(
    async () =>
      userId
        ? (
            await api.get("/api/v1/communities/{communityId}/members/{userId}/labels", {
              path: { communityId, userId },
            })
          ).labels
        : [],
    // The catalogue's counts change with every write (a bulk apply too): reload the member then.
    [communityId, userId, props.labels],
  );
  const change = useAction();
  const after = async (ok: unknown) => {
    if (ok === undefined) return;
    await current.reload();
    await props.onChange();
  };
  const add = async (e: FormEvent) => {
    e.preventDefault();
    const path = { communityId, userId };
    await after(
      await change.run(() =>
        api.post("/api/v1/communities/{communityId}/members/{userId}/labels", { path }, { label: adding }),
      ),
    );
  };
  const remove = async (labelId: string) => {
    const path = { communityId, userId, labelId };
    await after(
      await change.run(() =>
        api.delete("/api/v1/communities/{communityId}/members/{userId}/labels/{labelId}", { path }),
      ),
    );
  };
  return (
    <section className="card" aria-labelledby="member-labels-title">
      <h2 id="member-labels-title">Labels on a member</h2>
      <Loaded state={members}>
        {(list) => (
          <label>
            Member
            <select aria-label="Member" value={userId} onChange={(e) => setUserId(e.target.value)}>
              <option value="">Choose a member…</option>
              {list.map((m) => (
                <option key={m.userId} value={m.userId}>
                  {m.displayName}
                  {m.email ? ` (${m.email})` : ""}
                </option>
              ))}
            </select>
          </label>
        )}
      </Loaded>
      {userId && (
        <>
          <ul className="chips" aria-label="The member's labels" data-testid="member-labels">
            {(current.data ?? []).map((l) => (
              <li key={l.id}>
                <Chip label={l} />
                {props.writable && (
                  <button type="button" className="secondary" disabled={change.busy} onClick={() => void remove(l.id)}>
                    Remove<span className="visually-hidden"> {l.name}</span>
                  </button>
                )}
              </li>
            ))}
            {current.data?.length === 0 && <li className="muted">No labels.</li>}
          </ul>
          {props.writable && (
            <form className="inline" onSubmit={add}>
              <label className="grow">
                Add label
                <select aria-label="Add label" value={adding} required onChange={(e) => setAdding(e.target.value)}>
                  <option value="">Choose a label…</option>
                  {props.labels.map((l) => (
                    <option key={l.id} value={l.id}>
                      {l.name}
                    </option>
                  ))}
                </select>
              </label>
              <button type="submit" disabled={change.busy}>
                Add
              </button>
            </form>
          )}
        </>
      )}
      <ErrorBox message={change.error} />
    </section>
  );
}

type Invalid = { index: number; reason: string };

/**
 * A pasted list of members (one per line: email, display name or user id) gets a label added
 * or removed in one atomic request; a refusal lists each bad line and nothing is applied.
 */
export function BulkLabels(props: { communityId: string; labels: Label[]; onDone: () => Promise<void> }) {
  const members = useMembers(props.communityId);
  const [text, setText] = useState("");
  const [op, setOp] = useState<"add" | "remove">("add");
  const [label, setLabel] = useState("");
  const [invalid, setInvalid] = useState<{ line: string; reason: string }[]>([]);
  const [done, setDone] = useState<string | null>(null);
  const run = useAction();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setInvalid([]);
    setDone(null);
    const lines = text
      .split("\n")
      .map((l) => l.trim())
      .filter(Boolean);
    const find = (line: string) =>
      members.data?.find(
        (m) => m.userId === line || m.email?.toLowerCase() === line.toLowerCase() || m.displayName === line,
      );
    // Unknown lines go as they are: the API names them by index, which is the line here.
    const operations = lines.map((line) => ({ op, label, userId: find(line)?.userId ?? line }));
    const result = await run.run(async () => {
      try {
        return await api.post(
          "/api/v1/communities/{communityId}/labels/bulk",
          { path: { communityId: props.communityId } },
          { operations },
        );
      } catch (err) {
        if (err instanceof ApiError && Array.isArray(err.data)) {
          setInvalid(
            (err.data as Invalid[]).map((i) => ({ line: `Line ${i.index + 1} (${lines[i.index]})`, reason: i.reason })),
          );
        }
        throw err;
      }
    });
    if (result) {
      setDone(`Done: ${result.added} added, ${result.removed} removed.`);
      await props.onDone();
    }
  };
  return (
    <section className="card" aria-labelledby="bulk-title">
      <h2 id="bulk-title">Apply to a list</h2>
      <form className="form" onSubmit={submit}>
        <label>
          Members, one per line (email, display name or user id; up to 1,000)
          <textarea rows={5} value={text} required onChange={(e) => setText(e.target.value)} />
        </label>
        <div className="inline">
          <label>
            Operation
            <select aria-label="Operation" value={op} onChange={(e) => setOp(e.target.value as "add" | "remove")}>
              <option value="add">add</option>
              <option value="remove">remove</option>
            </select>
          </label>
          <label className="grow">
            Label
            <select aria-label="Label to apply" value={label} required onChange={(e) => setLabel(e.target.value)}>
              <option value="">Choose a label…</option>
              {props.labels.map((l) => (
                <option key={l.id} value={l.name}>
                  {l.name}
                </option>
              ))}
            </select>
          </label>
          <button type="submit" disabled={run.busy || !members.data}>
            {run.busy ? "Applying…" : "Apply"}
          </button>
        </div>
      </form>
      <ErrorBox message={run.error} />
      {invalid.length > 0 && (
        <ul className="error" data-testid="bulk-invalid">
          {invalid.map((i) => (
            <li key={i.line}>
              {i.line}: {i.reason}
            </li>
          ))}
        </ul>
      )}
      {done && (
        <p role="status" data-testid="bulk-done">
          {done}
        </p>
      )}
    </section>
  );
}
