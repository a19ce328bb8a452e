import { type ReactNode, useCallback, useEffect, useRef, useState } from "react";
import { ApiError } from "../api/client.ts";
import { FormError, type Issue, issuesOf } from "./field.tsx";

/** Loads data on mount (and when `deps` change); `reload` runs it again after a write. */
export function useAsync<T>(load: () => Promise<T>, deps: unknown[]) {
  const [state, setState] = useState<{ data?: T; error?: string; loading: boolean }>({ loading: true });
  const loadRef = useRef(load);
  loadRef.current = load;
  const key = JSON.stringify(deps);
  const reload = useCallback(async () => {
    setState((s) => ({ ...s, loading: true }));
    try {
      setState({ data: await loadRef.current(), loading: false });
    } catch (err) {
      setState({ error: messageOf(err), loading: false });
    }
  }, []);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` (the caller's deps) is what triggers a new load
  useEffect(() => {
    void reload();
  }, [key, reload]);
  return { ...state, reload };
}

/** What to show for a failure: the API's own message, never a blank page. */
export const messageOf = (err: unknown) =>
  err instanceof ApiError || err instanceof Error ? err.message : "Something went wrong";

/**
 * Runs an action with a busy flag, an error message and the API's per-field issues (for forms
 * and buttons; `Field` shows each issue under its field).
 */
export function useAction() {
  const [busy, setBusy] = useState(false);
  const [error, setErrorState] = useState<string | null>(null);
  const [issues, setIssues] = useState<Issue[]>([]);
  const setError = (message: string | null) => {
    setErrorState(message);
    setIssues([]);
  };
  const run = async <T,>(action: () => Promise<T>): Promise<T | undefined> => {
    setBusy(true);
    setError(null);
    try {
      return await action();
    } catch (err) {
      setErrorState(messageOf(err));
      setIssues(issuesOf(err));
      return undefined;
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, issues, setError, run };
}

export const Spinner = ({ label = "Loading…" }: { label?: string }) => (
  <p className="loading" role="status" aria-live="polite">
    <span className="spinner" aria-hidden="true" /> {label}
  </p>
);

export const ErrorBox = ({ message }: { message: string | null | undefined }) =>
  message ? (
    <p className="error" role="alert">
      {message}
    </p>
  ) : null;

export const Empty = ({ children }: { children: ReactNode }) => <div className="empty">{children}</div>;

/** Shows loading, error or the content, in that order. */
export function Loaded<T>({
  state,
  children,
}: {
  state: ReturnType<typeof useAsync<T>>;
  children: (data: T) => ReactNode;
}) {
  if (state.error) return <ErrorBox message={state.error} />;
  if (state.data === undefined) return <Spinner />;
  return <>{children(state.data)}</>;
}

/** Copies text; falls back to selecting a hidden field where the Clipboard API is refused. */
async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    const area = document.createElement("textarea");
    area.value = text;
    document.body.append(area);
    area.select();
    const done = document.execCommand("copy");
    area.remove();
    return done;
  }
}

export function CopyButton({ text, label = "Copy" }: { text: string; label?: string }) {
  const [copied, setCopied] = useState<boolean | null>(null);
  return (
    <button
      type="button"
      className="secondary"
      data-copy={text}
      onClick={async () => {
        setCopied(await copyText(text));
        setTimeout(() => setCopied(null), 2000);
      }}
    >
      {copied === null ? label : copied ? "Copied!" : "Copy failed: select and copy"}
    </button>
  );
}

export const Page = ({ title, actions, children }: { title: string; actions?: ReactNode; children: ReactNode }) => (
  <section className="page" aria-labelledby="page-title">
    <header className="page-head">
      <h1 id="page-title">{title}</h1>
      {actions}
    </header>
    {children}
  </section>
);

/**
 * A form's error, then Save and Cancel; Save shows progress and is disabled while busy. With
 * `issues` and `fields`, issues already shown under a field are not repeated here.
 */
export const FormFooter = (props: {
  error: string | null | undefined;
  issues?: Issue[];
  fields?: string[];
  busy: boolean;
  saveLabel?: string;
  onCancel(): void;
}) => (
  <>
    <FormError error={props.error} issues={props.issues} fields={props.fields} />
    <div className="buttons">
      <button type="submit" disabled={props.busy}>
        {props.busy ? "Saving…" : (props.saveLabel ?? "Save")}
      </button>
      <button type="button" className="secondary" onClick={props.onCancel}>
        Cancel
      </button>
    </div>
  </>
);

type RowButtonsProps = {
  name: string;
  first: [label: string, action: () => void];
  second: [label: string, action: () => void];
};

/** A table row's two buttons in their own cell (see `RowButtons` for `DataTable`). */
export const RowActions = (props: RowButtonsProps) => (
  <td className="actions">
    <RowButtons {...props} />
  </td>
);

/** A row's two buttons; the item's name is in each label for screen readers. */
export const RowButtons = (props: RowButtonsProps) => (
  <>
    <button type="button" className="secondary" onClick={props.first[1]}>
      {props.first[0]}
      <span className="visually-hidden"> {props.name}</span>
    </button>
    <button type="button" className="danger" onClick={props.second[1]}>
      {props.second[0]}
      <span className="visually-hidden"> {props.name}</span>
    </button>
  </>
);

/**
 * A new password typed twice (accept-invite, reset-password): the page compares the two before
 * it calls the API, which checks the length and says so in its own words.
 */
export const NewPasswordFields = (props: {
  label: string;
  password: string;
  again: string;
  onPassword: (value: string) => void;
  onAgain: (value: string) => void;
}) => (
  <>
    <label>
      {props.label}
      <input
        type="password"
        autoComplete="new-password"
        required
        value={props.password}
        onChange={(e) => props.onPassword(e.target.value)}
      />
    </label>
    <label>
      {props.label} again
      <input
        type="password"
        autoComplete="new-password"
        required
        value={props.again}
        onChange={(e) => props.onAgain(e.target.value)}
      />
    </label>
  </>
);
