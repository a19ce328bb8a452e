import { type FormEvent, useState } from "react";
import { ApiError, api, type Schemas } from "../api/client.ts";
import { ErrorBox, useAction } from "../components/ui.tsx";

const LEVELS = ["everyone", "subscriber", "vip", "moderator", "admin", "owner"] as const;

/** Sends a chat line through /simulate (the full path: moderation, commands, rate limits) and shows the reply. */
export function TryIt({ communityId, onRan }: { communityId: string; onRan?: () => void }) {
  const [text, setText] = useState("!ping");
  const [level, setLevel] = useState<(typeof LEVELS)[number]>("everyone");
  const [result, setResult] = useState<Schemas["SimulateResult"] | null>(null);
  /** A cooldown is an answer, not a failure: shown in place of the result, never above a stale one. */
  const [cooldown, setCooldown] = useState<number | null>(null);
  const sim = useAction();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setCooldown(null);
    setResult(null);
    const out = await sim.run(async () => {
      try {
        return await api.post("/api/v1/communities/{communityId}/simulate", { path: { communityId } }, { text, level });
      } catch (err) {
        if (!(err instanceof ApiError) || err.status !== 429) throw err;
        const retry = (err.data as { retryAfter?: number } | undefined)?.retryAfter;
        setCooldown(typeof retry === "number" ? retry : 1);
        return undefined;
      }
    });
    if (out) {
      setResult(out);
      onRan?.();
    }
  };
  const chat = result?.replies.filter((r) => r.type === "chat") ?? [];
  return (
    <section className="card tryit" aria-labelledby="tryit-title">
      <h2 id="tryit-title">Try it</h2>
      <form onSubmit={submit} className="inline">
        <label className="grow">
          Message
          <input name="tryit-text" value={text} onChange={(e) => setText(e.target.value)} required />
        </label>
        <label>
          As
          <select value={level} onChange={(e) => setLevel(e.target.value as (typeof LEVELS)[number])}>
            {LEVELS.map((l) => (
              <option key={l}>{l}</option>
            ))}
          </select>
        </label>
        <button type="submit" disabled={sim.busy}>
          {sim.busy ? "Sending…" : "Send"}
        </button>
      </form>
      <ErrorBox message={sim.error} />
      {cooldown !== null && (
        <div className="reply" data-testid="tryit-result" aria-live="polite">
          <p data-testid="tryit-cooldown">
            Outcome: <strong>on cooldown</strong> — the bot ignores this command for {cooldown} more second
            {cooldown === 1 ? "" : "s"}, as it would in chat.
          </p>
        </div>
      )}
      {result && (
        <div className="reply" data-testid="tryit-result" aria-live="polite">
          <p>
            Outcome: <strong>{result.status}</strong>
            {result.execution && (
              <span className="muted">
                {" "}
                ({result.execution.command}, {result.execution.engine}, {result.execution.durationMs} ms)
              </span>
            )}
          </p>
          {chat.length === 0 ? (
            <p className="muted">The bot says nothing.</p>
          ) : (
            chat.map((r, i) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: replies have no ids and never reorder
              <p key={`${i}-${r.type}`} className="bubble" data-testid="tryit-reply">
                {"text" in r ? r.text : ""}
              </p>
            ))
          )}
          {result.actions.map((a, i) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: actions have no ids and never reorder
            <p key={`${i}-${a.type}`} className="badge">
              {a.type} {a.reason}
            </p>
          ))}
          {result.wouldDo.length > 0 && (
            <p className="muted" data-testid="tryit-would-do">
              Dry run, as {result.user.id}; a real message would also: {result.wouldDo.join("; ")}.
            </p>
          )}
        </div>
      )}
    </section>
  );
}
