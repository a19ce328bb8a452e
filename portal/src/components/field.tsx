import { type ReactElement, type ReactNode, useId } from "react";
import { ApiError } from "../api/client.ts";

/** One zod issue as the API sends it in a 400's `data` (`path` names the offending field). */
export interface Issue {
  path: (string | number)[];
  message: string;
}

/** The API's issues carried by a failure (empty for anything but a 400 with issues). */
export function issuesOf(err: unknown): Issue[] {
  if (!(err instanceof ApiError) || !Array.isArray(err.data)) return [];
  return (err.data as Partial<Issue>[])
    .filter((i) => typeof i?.message === "string")
    .map((i) => ({ path: Array.isArray(i.path) ? i.path : [], message: i.message as string }));
}

/** Whether an issue belongs to the field at `path` ("actionConfig.message" owns its children too). */
const issueMatches = (issue: Issue, path: string) => {
  const joined = issue.path.join(".");
  return joined === path || joined.startsWith(`${path}.`);
};

/** An issue inside a list field says which entry: "line 2: a domain such as example.com". */
const itemMessage = (issue: Issue, path: string) => {
  const index = issue.path[path.split(".").length];
  return typeof index === "number" ? `line ${index + 1}: ${issue.message}` : issue.message;
};

const issueText = (i: Issue) => (i.path.length ? `${i.path.join(".")}: ${i.message}` : i.message);

/** What a control needs to be tied to its label, hint, counter and error. */
/** Reads a number input: empty stays NaN, so the API names the field instead of saving 0. */
export const num = (v: string) => (v === "" ? Number.NaN : Number(v));

interface ControlProps {
  id: string;
  name: string;
  "aria-invalid": boolean | undefined;
  "aria-describedby": string | undefined;
}

/**
 * One form field: a label, the control, an optional hint, a character counter when the API has
 * a limit (counted as the API counts: UTF-16 units, `string.length`), and the API's own words
 * under the field when a save was refused for it.
 */
export function Field(props: {
  label: ReactNode;
  /** The body's path for this field ("name", "actionConfig.message"); issues are matched on it. */
  path: string;
  issues?: Issue[];
  /** With `value`: shows "12 / 32" and marks the field when it is over. */
  max?: number;
  value?: string;
  /** A platform's own, smaller limit (Twitch's 500): said beside the counter once passed. */
  soft?: { max: number; note: string };
  hint?: ReactNode;
  className?: string;
  children: (control: ControlProps) => ReactElement;
}) {
  const id = useId();
  const mine = (props.issues ?? []).filter((i) => issueMatches(i, props.path));
  const length = props.value?.length ?? 0;
  const over = props.max !== undefined && length > props.max;
  const described = [
    props.hint ? `${id}-hint` : null,
    props.max !== undefined ? `${id}-count` : null,
    mine.length ? `${id}-error` : null,
  ].filter(Boolean);
  return (
    <div className={`field${props.className ? ` ${props.className}` : ""}`} data-field={props.path}>
      <label htmlFor={id}>{props.label}</label>
      {props.children({
        id,
        name: props.path,
        "aria-invalid": mine.length > 0 || over ? true : undefined,
        "aria-describedby": described.length ? described.join(" ") : undefined,
      })}
      {props.hint && <small id={`${id}-hint`}>{props.hint}</small>}
      {props.max !== undefined && (
        <small id={`${id}-count`} className={over ? "counter over" : "counter"}>
          {length} / {props.max}
          {over && ` (${length - props.max} too many)`}
          {!over && props.soft && length > props.soft.max && ` · ${props.soft.note}`}
        </small>
      )}
      {mine.length > 0 && (
        <p className="field-error" id={`${id}-error`} data-testid="field-error">
          {[...new Set(mine.map((i) => itemMessage(i, props.path)))].join("; ")}
        </p>
      )}
    </div>
  );
}

/**
 * The one error summary of a form: the API's message, except that issues shown under their
 * field are not repeated (the summary then points at them).
 */
export function FormError(props: { error: string | null | undefined; issues?: Issue[]; fields?: string[] }) {
  if (!props.error) return null;
  const issues = props.issues ?? [];
  const fields = props.fields ?? [];
  const rest = issues.filter((i) => !fields.some((f) => issueMatches(i, f)));
  const message: ReactNode =
    issues.length === 0 ? props.error : rest.length ? rest.map(issueText).join("; ") : "Check the field marked above.";
  return (
    <p className="error" role="alert">
      {message}
    </p>
  );
}
