import { type FormEvent, type ReactNode, useCallback, useEffect, useRef, useState } from "react";

interface ConfirmOptions {
  title: string;
  body: ReactNode;
  confirmLabel: string;
  danger?: boolean;
  /** The person must type this (e.g. the community's name) before the button works. */
  typeToConfirm?: string;
}

/**
 * A confirmation in a native modal `<dialog>` (focus stays inside, Escape cancels) instead of
 * `window.confirm`, so it can say what will happen and ask for the name on dangerous changes.
 * `confirm(options)` resolves true or false; render `dialog` once in the page.
 */
export function useConfirm() {
  const [open, setOpen] = useState<{ options: ConfirmOptions; resolve(ok: boolean): void } | null>(null);
  const confirm = useCallback(
    (options: ConfirmOptions) => new Promise<boolean>((resolve) => setOpen({ options, resolve })),
    [],
  );
  const close = (ok: boolean) => {
    open?.resolve(ok);
    setOpen(null);
  };
  const dialog = open ? <ConfirmDialog options={open.options} onClose={close} /> : null;
  return { confirm, dialog };
}

function ConfirmDialog({ options, onClose }: { options: ConfirmOptions; onClose(ok: boolean): void }) {
  const ref = useRef<HTMLDialogElement>(null);
  const [typed, setTyped] = useState("");
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
  }, []);
  const ready = !options.typeToConfirm || typed.trim() === options.typeToConfirm;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (ready) onClose(true);
  };
  return (
    <dialog
      ref={ref}
      className="confirm"
      aria-labelledby="confirm-title"
      onCancel={(e) => {
        e.preventDefault();
        onClose(false);
      }}
    >
      <form onSubmit={submit} className="stack">
        <h2 id="confirm-title">{options.title}</h2>
        <div>{options.body}</div>
        {options.typeToConfirm && (
          <label>
            Type “{options.typeToConfirm}” to confirm
            <input value={typed} autoComplete="off" onChange={(e) => setTyped(e.target.value)} />
          </label>
        )}
        <div className="buttons">
          <button type="submit" className={options.danger ? "danger solid" : undefined} disabled={!ready}>
            {options.confirmLabel}
          </button>
          <button type="button" className="secondary" onClick={() => onClose(false)}>
            Cancel
          </button>
        </div>
      </form>
    </dialog>
  );
}
