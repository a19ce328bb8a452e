import { type FormEvent, useEffect, useState } from "react";
import { api, type Schemas } from "../api/client.ts";
import { Field, FormError } from "../components/field.tsx";
import { useToast } from "../components/toast.tsx";
import { Loaded, useAction, useAsync } from "../components/ui.tsx";

type Style = Schemas["OverlayStyle"];
const FONTS: [Style["font"], string][] = [
  ["system", "System (clean sans-serif)"],
  ["rounded", "Rounded"],
  ["serif", "Serif"],
  ["mono", "Monospace"],
];
const FIELDS = ["font", "textColor", "accentColor", "panelColor", "panelOpacity", "position", "alertDurationSec"];

/** The overlays' look: stored per community and applied by the overlay pages when they (re)load. */
export function OverlayStyleForm(props: { communityId: string; writable: boolean; onSaved(): void }) {
  const path = { communityId: props.communityId };
  const state = useAsync(
    () => api.get("/api/v1/communities/{communityId}/overlays/style", { path }),
    [props.communityId],
  );
  return (
    <section className="card" aria-labelledby="style-title">
      <h2 id="style-title">Look</h2>
      <Loaded state={state}>{(s) => <StyleFields {...props} style={s} />}</Loaded>
    </section>
  );
}

function StyleFields(props: { communityId: string; writable: boolean; onSaved(): void; style: Style }) {
  const [form, setForm] = useState(props.style);
  useEffect(() => setForm(props.style), [props.style]);
  const save = useAction();
  const toast = useToast();
  const set = <K extends keyof Style>(k: K, v: Style[K]) => setForm({ ...form, [k]: v });
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const done = await save.run(() =>
      api.put("/api/v1/communities/{communityId}/overlays/style", { path: { communityId: props.communityId } }, form),
    );
    if (!done) return;
    toast("Overlay look saved: the previews reload with it");
    props.onSaved();
  };
  const colour = (key: "textColor" | "accentColor" | "panelColor", label: string) => (
    <Field label={label} path={key} issues={save.issues}>
      {(p) => (
        <input
          {...p}
          type="color"
          disabled={!props.writable}
          value={form[key]}
          onChange={(e) => set(key, e.target.value)}
        />
      )}
    </Field>
  );
  return (
    <form className="form" onSubmit={submit} aria-label="Overlay look" noValidate>
      <Field label="Font" path="font" issues={save.issues}>
        {(p) => (
          <select
            {...p}
            disabled={!props.writable}
            value={form.font}
            onChange={(e) => set("font", e.target.value as Style["font"])}
          >
            {FONTS.map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        )}
      </Field>
      {colour("textColor", "Text colour")}
      {colour("accentColor", "Accent colour")}
      {colour("panelColor", "Panel colour")}
      <Field label="Panel opacity (0–1)" path="panelOpacity" issues={save.issues}>
        {(p) => (
          <input
            {...p}
            type="number"
            step={0.05}
            min={0}
            max={1}
            disabled={!props.writable}
            value={form.panelOpacity}
            onChange={(e) => set("panelOpacity", Number(e.target.value))}
          />
        )}
      </Field>
      <Field label="Ticker and announcements at" path="position" issues={save.issues}>
        {(p) => (
          <select
            {...p}
            disabled={!props.writable}
            value={form.position}
            onChange={(e) => set("position", e.target.value as Style["position"])}
          >
            <option value="top">top</option>
            <option value="center">center</option>
            <option value="bottom">bottom</option>
          </select>
        )}
      </Field>
      <Field label="Alerts stay for (s)" path="alertDurationSec" issues={save.issues} hint="2–60 seconds">
        {(p) => (
          <input
            {...p}
            type="number"
            min={2}
            max={60}
            disabled={!props.writable}
            value={form.alertDurationSec}
            onChange={(e) => set("alertDurationSec", Number(e.target.value))}
          />
        )}
      </Field>
      <FormError error={save.error} issues={save.issues} fields={FIELDS} />
      {props.writable && (
        <div className="buttons">
          <button type="submit" disabled={save.busy}>
            {save.busy ? "Saving…" : "Save look"}
          </button>
        </div>
      )}
    </form>
  );
}
