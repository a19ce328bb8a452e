import { createContext, type ReactNode, useCallback, useContext, useState } from "react";

type Kind = "ok" | "error";
interface Toast {
  id: number;
  text: string;
  kind: Kind;
}
type Show = (text: string, kind?: Kind) => void;

const ToastContext = createContext<Show>(() => undefined);

/** "Saved", "Deleted": a short note in a live region that screen readers announce, gone after 5 s. */
export const useToast = () => useContext(ToastContext);

let next = 0;

export function ToastProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const dismiss = useCallback((id: number) => setToasts((all) => all.filter((t) => t.id !== id)), []);
  const show = useCallback<Show>(
    (text, kind = "ok") => {
      const id = ++next;
      setToasts((all) => [...all.slice(-2), { id, text, kind }]);
      setTimeout(() => dismiss(id), 5000);
    },
    [dismiss],
  );
  return (
    <ToastContext.Provider value={show}>
      {children}
      <div className="toasts" role="status" aria-live="polite">
        {toasts.map((t) => (
          <div key={t.id} className={`toast toast-${t.kind}`} data-testid="toast">
            <span>{t.text}</span>
            <button type="button" className="link" onClick={() => dismiss(t.id)}>
              Dismiss<span className="visually-hidden"> “{t.text}”</span>
            </button>
          </div>
        ))}
      </div>
    </ToastContext.Provider>
  );
}
