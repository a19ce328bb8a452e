import { type FormEvent, useState } from "react";
import { ACCOUNT_PERMISSIONS, PERMISSIONS } from "../../../lib/auth/permissions.ts";
import { api, type Schemas } from "../api/client.ts";
import { Field, FormError } from "../components/field.tsx";
import { useAction } from "../components/ui.tsx";

/** What a key may be limited to: the API's own permission list (admin-only service scopes left out). */
const SCOPES = [
  ...Object.keys(PERMISSIONS),
  ...Object.entries(ACCOUNT_PERMISSIONS)
    .filter(([, who]) => who === "self")
    .map(([p]) => p),
];
const EXPIRY = [
  ["30", "30 days"],
  ["90", "90 days"],
  ["365", "1 year"],
  ["never", "Never"],
] as const;

/** Name, scopes (all of mine, or a chosen few) and expiry of a new key; the key is shown once by the page. */
export function KeyForm({ onCreated }: { onCreated(key: Schemas["NewApiKey"]): Promise<void> }) {
  const [name, setName] = useState("");
  const [limited, setLimited] = useState(false);
  const [scopes, setScopes] = useState<string[]>([]);
  const [expiry, setExpiry] = useState<(typeof EXPIRY)[number][0]>("365");
  const act = useAction();
  const create = async (e: FormEvent) => {
    e.preventDefault();
    const made = await act.run(() =>
      api.post("/api/v1/keys", undefined, {
        name,
        scopes: limited ? scopes : null,
        expiresInDays: expiry === "never" ? null : Number(expiry),
      }),
    );
    if (!made) return;
    setName("");
    setScopes([]);
    setLimited(false);
    await onCreated(made);
  };
  const toggle = (scope: string, on: boolean) => setScopes(on ? [...scopes, scope] : scopes.filter((s) => s !== scope));
  return (
    <form className="card form" onSubmit={create} aria-labelledby="new-key-title" noValidate>
      <h2 id="new-key-title">Create an API key</h2>
      <Field label="Name" path="name" issues={act.issues} max={100} value={name}>
        {(p) => (
          <input
            {...p}
            required
            value={name}
            onChange={(e) => setName(e.target.value)}
            placeholder="e.g. stream deck"
          />
        )}
      </Field>
      <Field label="Expires after" path="expiresInDays" issues={act.issues}>
        {(p) => (
          <select {...p} value={expiry} onChange={(e) => setExpiry(e.target.value as typeof expiry)}>
            {EXPIRY.map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        )}
      </Field>
      <fieldset className="full">
        <legend>What the key may do</legend>
        <label className="check">
          <input type="radio" name="scope-mode" checked={!limited} onChange={() => setLimited(false)} /> Everything I
          may do
        </label>
        <label className="check">
          <input type="radio" name="scope-mode" checked={limited} onChange={() => setLimited(true)} /> Only what I tick
        </label>
        {limited && (
          <div className="scopes" data-field="scopes">
            {SCOPES.map((s) => (
              <label key={s} className="check">
                <input type="checkbox" checked={scopes.includes(s)} onChange={(e) => toggle(s, e.target.checked)} />{" "}
                <code>{s}</code>
              </label>
            ))}
          </div>
        )}
        {act.issues
          .filter((i) => i.path[0] === "scopes")
          .map((i) => (
            <p key={i.message} className="field-error" data-testid="field-error">
              {i.message === "Too small: expected array to have >=1 items" ? "Tick at least one." : i.message}
            </p>
          ))}
      </fieldset>
      <FormError error={act.error} issues={act.issues} fields={["name", "expiresInDays", "scopes"]} />
      <div className="buttons">
        <button type="submit" disabled={act.busy}>
          {act.busy ? "Creating…" : "Create key"}
        </button>
      </div>
    </form>
  );
}
