import { type FormEvent, useState } from "react";
import { api, type Schemas } from "../api/client.ts";
import { Field } from "../components/field.tsx";
import { useToast } from "../components/toast.tsx";
import { FormFooter, useAction } from "../components/ui.tsx";
import { EscalationSteps, stepsBody, stepsFrom } from "./RuleEscalation.tsx";
import { optionsBody, optionsFrom, RuleOptionsFields } from "./RuleOptions.tsx";

const MATCH = ["contains", "word", "exact", "wildcard", "regex", "caps", "links", "repeat"] as const;
const ACTIONS = ["delete", "warn", "reply", "timeout", "ban", "command", "webhook"] as const;
const LEVELS = ["everyone", "subscriber", "vip", "moderator", "admin", "owner"] as const;
const NO_PATTERN = new Set(["caps", "links", "repeat"]);
/** Issues on these paths show under their field (options.* and escalation.* are matched by their own fields). */
const FIELDS = ["name", "matchType", "pattern", "options", "action", "actionConfig", "escalation", "priority"];

/** Create or edit a rule with every field the API has: filter options, action settings, escalation. */
export function RuleForm(props: {
  communityId: string;
  rule: Schemas["ModerationRule"] | null;
  onDone: () => Promise<void>;
  onCancel: () => void;
}) {
  const r = props.rule;
  const cfg = (r?.actionConfig ?? {}) as { message?: string; durationSec?: number; command?: string; url?: string };
  const secretSet = (r?.actionConfig as { secret?: string } | undefined)?.secret === "[set]";
  const [form, setForm] = useState({
    name: r?.name ?? "",
    matchType: (r?.matchType ?? "contains") as (typeof MATCH)[number],
    pattern: r?.pattern ?? "",
    action: (r?.action ?? "delete") as (typeof ACTIONS)[number],
    message: cfg.message ?? "",
    durationSec: cfg.durationSec ?? 600,
    command: cfg.command ?? "",
    url: cfg.url ?? "",
    secret: "",
    exemptLevel: r?.exemptLevel ?? "moderator",
    priority: r?.priority ?? 100,
    enabled: r?.enabled ?? true,
  });
  const [options, setOptions] = useState(() => optionsFrom(r?.options));
  const [steps, setSteps] = useState(() => stepsFrom(r?.escalation));
  const set = <K extends keyof typeof form>(k: K, v: (typeof form)[K]) => setForm({ ...form, [k]: v });
  const save = useAction();
  const toast = useToast();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const body = {
      name: form.name,
      matchType: form.matchType,
      pattern: NO_PATTERN.has(form.matchType) ? null : form.pattern,
      options: optionsBody(form.matchType, options),
      action: form.action,
      actionConfig: {
        ...(form.message ? { message: form.message } : {}),
        ...(form.action === "timeout" ? { durationSec: form.durationSec } : {}),
        ...(form.action === "command" ? { command: form.command } : {}),
        // Left empty, a stored secret is kept (the API keeps it while the URL stays the same).
        ...(form.action === "webhook" ? { url: form.url, ...(form.secret ? { secret: form.secret } : {}) } : {}),
      },
      escalation: stepsBody(steps),
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
    if (!done) return;
    toast(r ? `Saved the rule “${done.name}”` : `Created the rule “${done.name}”`);
    await props.onDone();
  };
  const issues = save.issues;
  return (
    <form className="card form" onSubmit={submit} aria-label={r ? `Edit ${r.name}` : "New rule"} noValidate>
      <h2>{r ? `Edit “${r.name}”` : "New rule"}</h2>
      <Field label="Name" path="name" issues={issues} max={100} value={form.name}>
        {(p) => <input {...p} required value={form.name} onChange={(e) => set("name", e.target.value)} />}
      </Field>
      <Field label="Match" path="matchType" issues={issues}>
        {(p) => (
          <select
            {...p}
            value={form.matchType}
            onChange={(e) => set("matchType", e.target.value as (typeof MATCH)[number])}
          >
            {MATCH.map((m) => (
              <option key={m}>{m}</option>
            ))}
          </select>
        )}
      </Field>
      {!NO_PATTERN.has(form.matchType) && (
        <Field label="Pattern" path="pattern" issues={issues} max={200} value={form.pattern}>
          {(p) => <input {...p} required value={form.pattern} onChange={(e) => set("pattern", e.target.value)} />}
        </Field>
      )}
      <RuleOptionsFields matchType={form.matchType} options={options} issues={issues} onChange={setOptions} />
      <Field label="Action" path="action" issues={issues}>
        {(p) => (
          <select
            {...p}
            value={form.action}
            onChange={(e) => set("action", e.target.value as (typeof ACTIONS)[number])}
          >
            {ACTIONS.map((a) => (
              <option key={a}>{a}</option>
            ))}
          </select>
        )}
      </Field>
      {form.action === "timeout" && (
        <Field label="Timeout (s)" path="actionConfig.durationSec" issues={issues}>
          {(p) => (
            <input
              {...p}
              type="number"
              min={1}
              value={form.durationSec}
              onChange={(e) => set("durationSec", Number(e.target.value))}
            />
          )}
        </Field>
      )}
      {form.action === "command" && (
        <Field label="Command to run" path="actionConfig.command" issues={issues} hint="e.g. !rules">
          {(p) => <input {...p} value={form.command} onChange={(e) => set("command", e.target.value)} />}
        </Field>
      )}
      {form.action === "webhook" && (
        <>
          <Field label="Webhook URL (https)" path="actionConfig.url" issues={issues}>
            {(p) => <input {...p} type="url" value={form.url} onChange={(e) => set("url", e.target.value)} />}
          </Field>
          <Field
            label="Signing secret"
            path="actionConfig.secret"
            issues={issues}
            hint={
              secretSet ? "A secret is set; leave empty to keep it." : "16–256 characters; the POST is signed with it."
            }
          >
            {(p) => (
              <input
                {...p}
                type="password"
                autoComplete="new-password"
                value={form.secret}
                onChange={(e) => set("secret", e.target.value)}
              />
            )}
          </Field>
        </>
      )}
      <Field
        label={`Message to the user ${form.action === "warn" || form.action === "reply" ? "(required)" : "(optional)"}`}
        path="actionConfig.message"
        className="full"
        issues={issues}
        max={500}
        value={form.message}
      >
        {(p) => <input {...p} value={form.message} onChange={(e) => set("message", e.target.value)} />}
      </Field>
      <EscalationSteps steps={steps} issues={issues} onChange={setSteps} />
      <Field label="Exempt from (and above)" path="exemptLevel" issues={issues}>
        {(p) => (
          <select
            {...p}
            value={form.exemptLevel}
            onChange={(e) => set("exemptLevel", e.target.value as (typeof LEVELS)[number])}
          >
            {LEVELS.map((l) => (
              <option key={l}>{l}</option>
            ))}
          </select>
        )}
      </Field>
      <Field label="Priority (lower first)" path="priority" issues={issues}>
        {(p) => (
          <input
            {...p}
            type="number"
            min={0}
            max={10000}
            value={form.priority}
            onChange={(e) => set("priority", Number(e.target.value))}
          />
        )}
      </Field>
      <label className="check">
        <input type="checkbox" checked={form.enabled} onChange={(e) => set("enabled", e.target.checked)} /> Enabled
      </label>
      <FormFooter
        error={save.error}
        issues={issues}
        fields={FIELDS}
        busy={save.busy}
        saveLabel="Save rule"
        onCancel={props.onCancel}
      />
    </form>
  );
}
