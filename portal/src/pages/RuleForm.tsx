import { type FormEvent, useState } from "react";
import { api, type Schemas } from "../api/client.ts";
import { FormFooter, useAction } from "../components/ui.tsx";

const MATCH = ["contains", "word", "exact", "wildcard", "regex", "caps", "links", "repeat"] as const;
const ACTIONS = ["delete", "warn", "reply", "timeout", "ban"] as const;
const LEVELS = ["everyone", "subscriber", "vip", "moderator", "admin", "owner"] as const;
const NO_PATTERN = new Set(["caps", "links", "repeat"]);

/** Create or edit a rule (the common fields; escalation and webhooks stay with the API). */
export function RuleForm(props: {
  communityId: string;
  rule: Schemas["ModerationRule"] | null;
  onDone: () => Promise<void>;
  onCancel: () => void;
}) {
  const r = props.rule;
  const cfg = (r?.actionConfig ?? {}) as { message?: string; durationSec?: number };
  const [form, setForm] = useState({
    name: r?.name ?? "",
    matchType: (r?.matchType ?? "contains") as (typeof MATCH)[number],
    pattern: r?.pattern ?? "",
    action: (r?.action ?? "delete") as (typeof ACTIONS)[number],
    message: cfg.message ?? "",
    durationSec: cfg.durationSec ?? 600,
    exemptLevel: r?.exemptLevel ?? "moderator",
    priority: r?.priority ?? 100,
    enabled: r?.enabled ?? true,
  });
  const set = <K extends keyof typeof form>(k: K, v: (typeof form)[K]) => setForm({ ...form, [k]: v });
  const save = useAction();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const body = {
      name: form.name,
      matchType: form.matchType,
      pattern: NO_PATTERN.has(form.matchType) ? null : form.pattern,
      action: form.action,
      actionConfig: {
        ...(form.message ? { message: form.message } : {}),
        ...(form.action === "timeout" ? { durationSec: form.durationSec } : {}),
      },
      exemptLevel: form.exemptLevel,
      priority: form.priority,
      enabled: form.enabled,
    };
    const path = { communityId: props.communityId };
    const done = await save.run(() =>
      r
        ? api.patch(
            "/api/v1/communities/{communityId}/moderation/rules/{ruleId}",
            { path: { ...path, ruleId: r.id } },
            body,
          )
        : api.post("/api/v1/communities/{communityId}/moderation/rules", { path }, body),
    );
    if (done) await props.onDone();
  };
  return (
    <form className="card form" onSubmit={submit} aria-label={r ? `Edit ${r.name}` : "New rule"}>
      <h2>{r ? `Edit “${r.name}”` : "New rule"}</h2>
      <label>
        Name
        <input name="rule-name" required value={form.name} onChange={(e) => set("name", e.target.value)} />
      </label>
      <label>
        Match
        <select
          name="matchType"
          value={form.matchType}
          onChange={(e) => set("matchType", e.target.value as (typeof MATCH)[number])}
        >
          {MATCH.map((m) => (
            <option key={m}>{m}</option>
          ))}
        </select>
      </label>
      {!NO_PATTERN.has(form.matchType) && (
        <label>
          Pattern
          <input name="pattern" required value={form.pattern} onChange={(e) => set("pattern", e.target.value)} />
        </label>
      )}
      <label>
        Action
        <select
          name="action"
          value={form.action}
          onChange={(e) => set("action", e.target.value as (typeof ACTIONS)[number])}
        >
          {ACTIONS.map((a) => (
            <option key={a}>{a}</option>
          ))}
        </select>
      </label>
      {form.action === "timeout" && (
        <label>
          Timeout (s)
          <input
            type="number"
            min={1}
            value={form.durationSec}
            onChange={(e) => set("durationSec", Number(e.target.value))}
          />
        </label>
      )}
      <label className="full">
        Message to the user {form.action === "warn" || form.action === "reply" ? "(required)" : "(optional)"}
        <input name="message" value={form.message} onChange={(e) => set("message", e.target.value)} />
      </label>
      <label>
        Exempt from (and above)
        <select
          value={form.exemptLevel}
          onChange={(e) => set("exemptLevel", e.target.value as (typeof LEVELS)[number])}
        >
          {LEVELS.map((l) => (
            <option key={l}>{l}</option>
          ))}
        </select>
      </label>
      <label>
        Priority (lower first)
        <input
          type="number"
          min={0}
          max={10000}
          value={form.priority}
          onChange={(e) => set("priority", Number(e.target.value))}
        />
      </label>
      <label className="check">
        <input type="checkbox" checked={form.enabled} onChange={(e) => set("enabled", e.target.checked)} /> Enabled
      </label>
      <FormFooter error={save.error} busy={save.busy} saveLabel="Save rule" onCancel={props.onCancel} />
    </form>
  );
}
