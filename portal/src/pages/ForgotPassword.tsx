import { type FormEvent, useState } from "react";
import { api } from "../api/client.ts";
import { ErrorBox, useAction } from "../components/ui.tsx";

/**
 * "Forgot password?" on the sign-in page. The API answers 202 whatever the address, so the
 * page says the same thing for every address: it must not tell who has an account.
 */
export function ForgotPassword({ initialEmail, onBack }: { initialEmail: string; onBack(): void }) {
  const [email, setEmail] = useState(initialEmail);
  const [sent, setSent] = useState(false);
  const action = useAction();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const ok = await action.run(async () => {
      await api.post("/api/v1/auth/password-reset/request", undefined, { email });
      return true;
    });
    if (ok) setSent(true);
  };
  return (
    <main className="login">
      <form className="card" onSubmit={submit} aria-labelledby="forgot-title">
        <h1 id="forgot-title">Reset your password</h1>
        {sent ? (
          <p className="notice" role="status">
            If that address has an account, a link is on its way. It works for 30 minutes.
          </p>
        ) : (
          <>
            <p>We email a link to choose a new password.</p>
            <label>
              Email
              <input
                type="email"
                autoComplete="username"
                required
                value={email}
                onChange={(e) => setEmail(e.target.value)}
              />
            </label>
            <ErrorBox message={action.error} />
            <button type="submit" disabled={action.busy}>
              {action.busy ? "Sending…" : "Email me a link"}
            </button>
          </>
        )}
        <button type="button" className="secondary" onClick={onBack}>
          Back to sign in
        </button>
      </form>
    </main>
  );
}
