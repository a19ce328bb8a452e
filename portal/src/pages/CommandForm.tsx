import { type FormEvent, useState } from "react";
import { api, type Schemas } from "../api/client.ts";
import { Field } from "../components/field.tsx";
import { useToast } from "../components/toast.tsx";
import { FormFooter, useAction } from "../components/ui.tsx";

const LEVELS = ["everyone", "subscriber", "vip", "moderator", "admin", "owner"] as const;
/** The body paths this form shows; issues on any other path go to the form's summary. */
const FIELDS = ["name", "response", "description", "minLevel", "userCooldownSec", "globalCooldownSec"];

/** Create or edit a text command; the API validates the template and its issues show under each field. */
export function CommandForm(props: {
  communityId: string;
  command: Schemas["Command"] | null;
  onDone: () => Promise<void>;
  onCancel: () => void;
}) {
  const c = props.command;
  const [form, setForm] = useState({
    name: c?.name ?? "",
    response: c?.response ?? "",
    description: c?.description ?? "",
    minLevel: c?.minLevel ?? "everyone",
    userCooldownSec: c?.userCooldownSec ?? 0,
    globalCooldownSec: c?.globalCooldownSec ?? 0,
    enabled: c?.enabled ?? true,
  });
  const save = useAction();
  const toast = useToast();
  const set = <K extends keyof typeof form>(k: K, v: (typeof form)[K]) => setForm({ ...form, [k]: v });
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const path = { communityId: props.communityId };
    const done = await save.run(() =>
      c
        ? api.patch(
            "/api/v1/communities/{communityId}/commands/{commandId}",
            { path: { ...path, commandId: c.id } },
            form,
          )
        : api.post("/api/v1/communities/{communityId}/commands", { path }, { ...form, kind: "text" }),
    );
    if (!done) return;
    toast(c ? `Saved !${done.name}` : `Created !${done.name}`);
    await props.onDone();
  };
  const issues = save.issues;
  return (
    <form className="card form" onSubmit={submit} aria-label={c ? `Edit !${c.name}` : "New command"} noValidate>
      <h2>{c ? `Edit !${c.name}` : "New command"}</h2>
      <Field label="Name (without !)" path="name" issues={issues} max={32} value={form.name}>
        {(p) => <input {...p} required value={form.name} onChange={(e) => set("name", e.target.value)} />}
      </Field>
      <Field
        label="Response"
        path="response"
        className="full"
        issues={issues}
        max={1000}
        value={form.response}
        soft={{ max: 500, note: "Twitch shows only the first 500" }}
        hint={`Variables: {user} {channel} {platform} {args} {arg1}…{arg20} {count} {random:a|b|c}`}
      >
        {(p) => (
          <textarea {...p} required rows={3} value={form.response} onChange={(e) => set("response", e.target.value)} />
        )}
      </Field>
      <Field label="Description" path="description" className="full" issues={issues} max={200} value={form.description}>
        {(p) => <input {...p} value={form.description} onChange={(e) => set("description", e.target.value)} />}
      </Field>
      <Field label="Who may use it" path="minLevel" issues={issues}>
        {(p) => (
          <select
            {...p}
            value={form.minLevel}
            onChange={(e) => set("minLevel", e.target.value as (typeof LEVELS)[number])}
          >
            {LEVELS.map((l) => (
              <option key={l}>{l}</option>
            ))}
          </select>
        )}
      </Field>
      <Field label="Cooldown per user (s)" path="userCooldownSec" issues={issues}>
        {(p) => (
          <input
            {...p}
            type="number"
            min={0}
            max={86400}
            value={form.userCooldownSec}
            onChange={(e) => set("userCooldownSec", Number(e.target.value))}
          />
        )}
      </Field>
      <Field label="Cooldown for everyone (s)" path="globalCooldownSec" issues={issues}>
        {(p) => (
          <input
            {...p}
            type="number"
            min={0}
            max={86400}
            value={form.globalCooldownSec}
            onChange={(e) => set("globalCooldownSec", Number(e.target.value))}
          />
        )}
      </Field>
      <label className="check">
        <input type="checkbox" checked={form.enabled} onChange={(e) => set("enabled", e.target.checked)} /> Enabled
      </label>
      <FormFooter error={save.error} issues={issues} fields={FIELDS} busy={save.busy} onCancel={props.onCancel} />
    </form>
  );
}
