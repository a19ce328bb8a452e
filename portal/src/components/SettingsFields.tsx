import { useId } from "react";

/** A module's install settings (the JSON-schema subset of its manifest) rendered as form fields. */
type Property = {
  type: "string" | "number" | "integer" | "boolean";
  title?: string;
  description?: string;
  enum?: string[];
  default?: unknown;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  format?: "uri" | "email";
};
export type SettingsValues = Record<string, string | number | boolean>;

const propertiesOf = (schema: Record<string, unknown>) =>
  Object.entries((schema.properties ?? {}) as Record<string, Property>);

/** The values a form starts with: what is set, else the schema's defaults. */
export function initialSettings(
  schema: Record<string, unknown>,
  current: Record<string, unknown> = {},
): SettingsValues {
  const out: SettingsValues = {};
  for (const [key, p] of propertiesOf(schema)) {
    const v = current[key] ?? p.default;
    if (v !== undefined) out[key] = v as string | number | boolean;
  }
  return out;
}

export function SettingsFields(props: {
  schema: Record<string, unknown>;
  values: SettingsValues;
  onChange(values: SettingsValues): void;
}) {
  // Several forms may be on one page (Installed modules): ids must not repeat.
  const base = useId();
  const required = new Set((props.schema.required ?? []) as string[]);
  const props_ = propertiesOf(props.schema);
  if (props_.length === 0) return <p className="muted">This module has no settings.</p>;
  const set = (key: string, value: string | number | boolean | undefined) => {
    const next = { ...props.values };
    if (value === undefined || value === "") delete next[key];
    else next[key] = value;
    props.onChange(next);
  };
  return (
    <fieldset className="settings">
      <legend>Settings</legend>
      {props_.map(([key, p]) => {
        const label = p.title ?? key;
        const value = props.values[key];
        if (p.type === "boolean")
          return (
            <label key={key} className="checkbox">
              <input type="checkbox" checked={value === true} onChange={(e) => set(key, e.target.checked)} /> {label}
            </label>
          );
        const id = `${base}-${key}`;
        return (
          <label key={key} htmlFor={id}>
            {label}
            {required.has(key) && " (required)"}
            {p.enum ? (
              <select
                id={id}
                value={String(value ?? "")}
                required={required.has(key)}
                onChange={(e) => set(key, e.target.value)}
              >
                <option value="">—</option>
                {p.enum.map((o) => (
                  <option key={o}>{o}</option>
                ))}
              </select>
            ) : (
              <input
                id={id}
                type={
                  p.type === "string"
                    ? p.format === "email"
                      ? "email"
                      : p.format === "uri"
                        ? "url"
                        : "text"
                    : "number"
                }
                value={String(value ?? "")}
                required={required.has(key)}
                min={p.minimum}
                max={p.maximum}
                minLength={p.minLength}
                maxLength={p.maxLength}
                step={p.type === "integer" ? 1 : "any"}
                onChange={(e) =>
                  set(
                    key,
                    p.type === "string" ? e.target.value : e.target.value === "" ? undefined : Number(e.target.value),
                  )
                }
              />
            )}
            {p.description && <small className="muted">{p.description}</small>}
          </label>
        );
      })}
    </fieldset>
  );
}
