import { type FormEvent, useState } from "react";
import { api, type Schemas } from "../api/client.ts";
import { FormFooter, useAction } from "../components/ui.tsx";

const LEVELS = ["everyone", "subscriber", "vip", "moderator", "admin", "owner"] as const;

/** Create or edit a text command; the API validates the template and answers with its message. */
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
    if (done) await props.onDone();
  };
  return (
    <form className="card form" onSubmit={submit} aria-label={c ? `Edit !${c.name}` : "New command"}>
      <h2>{c ? `Edit !${c.name}` : "New command"}</h2>
      <label>
        Name (without !)
        <input name="name" required value={form.name} onChange={(e) => set("name", e.target.value)} />
      </label>
      <label className="full">
        Response
        <textarea
          name="response"
          required
          rows={3}
          value={form.response}
          onChange={(e) => set("response", e.target.value)}
        />
        <small>Variables: {"{user} {channel} {platform} {args} {arg1}…{arg20} {count} {random:a|b|c}"}</small>
      </label>
      <label className="full">
        Description
        <input name="description" value={form.description} onChange={(e) => set("description", e.target.value)} />
      </label>
      <label>
        Who may use it
        <select
          name="minLevel"
          value={form.minLevel}
          onChange={(e) => set("minLevel", e.target.value as (typeof LEVELS)[number])}
        >
          {LEVELS.map((l) => (
            <option key={l}>{l}</option>
          ))}
        </select>
      </label>
      <label>
        Cooldown per user (s)
        <input
          type="number"
          min={0}
          max={86400}
          name="userCooldownSec"
          value={form.userCooldownSec}
          onChange={(e) => set("userCooldownSec", Number(e.target.value))}
        />
      </label>
      <label>
        Cooldown for everyone (s)
        <input
          type="number"
          min={0}
          max={86400}
          name="globalCooldownSec"
          value={form.globalCooldownSec}
          onChange={(e) => set("globalCooldownSec", Number(e.target.value))}
        />
      </label>
      <label className="check">
        <input type="checkbox" checked={form.enabled} onChange={(e) => set("enabled", e.target.checked)} /> Enabled
      </label>
      <FormFooter error={save.error} busy={save.busy} onCancel={props.onCancel} />
    </form>
  );
}
