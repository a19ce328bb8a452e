import { type FormEvent, useState } from "react";
import { api } from "../api/client.ts";
import { ErrorBox, NewPasswordFields, useAction } from "../components/ui.tsx";

/**
 * `/reset-password?token=…`, the link in the reset email: the new password twice, then
 * `password-reset/confirm`, which signs out every session; the person signs in again.
 */
export function ResetPassword() {
  const token = new URLSearchParams(window.location.search).get("token") ?? "";
  const [password, setPassword] = useState("");
  const [again, setAgain] = useState("");
  const [done, setDone] = useState<string | null>(null);
  const action = useAction();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (password !== again) {
      action.setError("The two passwords differ; type the same one twice");
      return;
    }
    const message = await action.run(() =>
      api.postForMessage("/api/v1/auth/password-reset/confirm", undefined, { token, password }),
    );
    if (message !== undefined) setDone(message || "Password changed; sign in again");
  };
  return (
    <main className="login">
      <div className="card">
        <h1>Choose a new password</h1>
        {done ? (
          <>
            <p className="notice" role="status">
              {done}
            </p>
            <a className="button" href="/">
              Sign in
            </a>
          </>
        ) : !token ? (
          <ErrorBox message="This reset link is incomplete: open the whole link from the email, or ask for a new one." />
        ) : (
          <form className="stack" onSubmit={submit}>
            <p>Pick a password of at least 12 characters. Every device signed in to your account is signed out.</p>
            <NewPasswordFields
              label="New password"
              password={password}
              again={again}
              onPassword={setPassword}
              onAgain={setAgain}
            />
            <ErrorBox message={action.error} />
            <button type="submit" disabled={action.busy}>
              {action.busy ? "Saving…" : "Set new password"}
            </button>
          </form>
        )}
        {!done && (
          <p className="muted">
            Link expired? <a href="/">Ask for a new one from the sign-in page</a> (“Forgot password?”).
          </p>
        )}
      </div>
    </main>
  );
}
