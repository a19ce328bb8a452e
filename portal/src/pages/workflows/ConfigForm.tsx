import { useState } from "react";

type Prop = {
  type?: string | string[];
  enum?: unknown[];
  description?: string;
  default?: unknown;
  anyOf?: Prop[];
  oneOf?: Prop[];
};
type ObjectSchema = {
  properties?: Record<string, Prop>;
  required?: string[];
  anyOf?: ObjectSchema[];
  oneOf?: ObjectSchema[];
};

const kindOf = (p: Prop): string => {
  if (p.enum) return "enum";
  const t = Array.isArray(p.type) ? p.type.find((x) => x !== "null") : p.type;
  return t ?? "json";
};

/** One field as JSON text (objects, arrays, unions): parsed on blur, an error shown while it is not JSON. */
function JsonField({
  label,
  value,
  hint,
  onChange,
}: {
  label: string;
  value: unknown;
  hint?: string;
  onChange: (v: unknown) => void;
}) {
  const [text, setText] = useState(() => (value === undefined ? "" : JSON.stringify(value, null, 1)));
  const [bad, setBad] = useState(false);
  return (
    <label>
      {label} <span className="muted">(JSON)</span>
      <textarea
        rows={3}
        value={text}
        aria-invalid={bad}
        onChange={(e) => setText(e.target.value)}
        onBlur={() => {
          if (text.trim() === "") return onChange(undefined);
          try {
            onChange(JSON.parse(text));
            setBad(false);
          } catch {
            setBad(true);
          }
        }}
      />
      {hint && <small>{hint}</small>}
    </label>
  );
}

/**
 * The config form of a node, generated from its type's JSON Schema (served by the API from the
 * same zod schema that validates it): text, number, switch and choice fields; anything richer
 * (lists of conditions, a schedule) as JSON.
 */
export function ConfigForm(props: {
  schema: unknown;
  value: Record<string, unknown>;
  onChange: (v: Record<string, unknown>) => void;
}) {
  const schema = props.schema as ObjectSchema;
  const properties = schema.properties ?? schema.anyOf?.[0]?.properties ?? schema.oneOf?.[0]?.properties ?? {};
  const set = (k: string, v: unknown) => {
    const next = { ...props.value };
    if (v === undefined || v === "") delete next[k];
    else next[k] = v;
    props.onChange(next);
  };
  const entries = Object.entries(properties);
  if (entries.length === 0) return <p className="muted">This node has no settings.</p>;
  return (
    <div className="config-form">
      {entries.map(([key, p]) => {
        const value = props.value[key];
        switch (kindOf(p)) {
          case "enum":
            return (
              <label key={key}>
                {key}
                <select name={key} value={String(value ?? p.default ?? "")} onChange={(e) => set(key, e.target.value)}>
                  {(p.enum ?? []).map((o) => (
                    <option key={String(o)} value={String(o)}>
                      {String(o)}
                    </option>
                  ))}
                </select>
              </label>
            );
          case "string":
            return (
              <label key={key}>
                {key}
                <input name={key} value={String(value ?? "")} onChange={(e) => set(key, e.target.value)} />
              </label>
            );
          case "integer":
          case "number":
            return (
              <label key={key}>
                {key}
                <input
                  name={key}
                  type="number"
                  value={value === undefined ? "" : String(value)}
                  onChange={(e) => set(key, e.target.value === "" ? undefined : Number(e.target.value))}
                />
              </label>
            );
          case "boolean":
            return (
              <label key={key} className="checkbox">
                <input
                  name={key}
                  type="checkbox"
                  checked={Boolean(value)}
                  onChange={(e) => set(key, e.target.checked)}
                />{" "}
                {key}
              </label>
            );
          default:
            return <JsonField key={key} label={key} value={value} hint={p.description} onChange={(v) => set(key, v)} />;
        }
      })}
    </div>
  );
}
