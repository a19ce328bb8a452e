import { type FormEvent, useState } from "react";
import { api, setCsrfToken } from "../api/client.ts";
import { ErrorBox, useAction, useAsync } from "../components/ui.tsx";
import { ForgotPassword } from "./ForgotPassword.tsx";

const PROVIDERS = [
  { id: "discord", label: "Discord" },
  { id: "twitch", label: "Twitch" },
  { id: "slack", label: "Slack" },
] as const;

/** Email + password, or a platform account (the identity worker runs the OAuth flow). */
export function Login({ onSignedIn }: { onSignedIn: () => Promise<void> }) {
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [forgot, setForgot] = useState(false);
  const action = useAction();
  // Only the logins this deployment has credentials for; none shown while that is unknown.
  const enabled = useAsync(() => api.get("/api/v1/auth/oauth/providers"), []);
  const providers = PROVIDERS.filter((p) => enabled.data?.[p.id]);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const done = await action.run(async () => {
      const res = await api.post("/api/v1/auth/login", undefined, { email, password });
      setCsrfToken((res as { csrfToken?: string | null } | undefined)?.csrfToken ?? null);
      return true;
    });
    if (done) await onSignedIn();
  };
  if (forgot) return <ForgotPassword initialEmail={email} onBack={() => setForgot(false)} />;
  return (
    <main className="login">
      <form className="card" onSubmit={submit} aria-labelledby="login-title">
        <h1 id="login-title">WaddleBot admin</h1>
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
        <label>
          Password
          <input
            type="password"
            autoComplete="current-password"
            required
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </label>
        <ErrorBox message={action.error} />
        <button type="submit" disabled={action.busy}>
          {action.busy ? "Signing in…" : "Sign in"}
        </button>
        <button type="button" className="link" onClick={() => setForgot(true)}>
          Forgot password?
        </button>
        {providers.length > 0 && (
          <>
            <p className="divider">or sign in with</p>
            <div className="oauth">
              {providers.map((p) => (
                <a key={p.id} className={`button oauth-${p.id}`} href={`/api/v1/auth/oauth/${p.id}/start`}>
                  {p.label}
                </a>
              ))}
            </div>
          </>
        )}
      </form>
    </main>
  );
}
