import { type FormEvent, useState } from "react";
import { api } from "../api/client.ts";
import { ErrorBox, Loaded, NewPasswordFields, useAction, useAsync } from "../components/ui.tsx";

/** The token from `/setup#token=wbs_…`: in the fragment, so no server log ever sees it. */
const tokenOf = () => new URLSearchParams(window.location.hash.replace(/^#/, "")).get("token") ?? "";

/**
 * `/setup`, the one-time URL `npm run deploy` prints when no ADMIN_EMAIL/ADMIN_PASSWORD was set:
 * the instance owner chooses their email and password, and is signed in. Once an owner exists
 * the page says so (the API answers 409; a used or expired link 410).
 */
export function Setup() {
  const [token] = useState(tokenOf);
  const status = useAsync(() => api.get("/api/v1/auth/setup"), []);
  const [email, setEmail] = useState("");
  const [displayName, setDisplayName] = useState("");
  const [password, setPassword] = useState("");
  const [again, setAgain] = useState("");
  const action = useAction();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (password !== again) {
      action.setError("The two passwords differ; type the same one twice");
      return;
    }
    const done = await action.run(() =>
      api.post("/api/v1/auth/setup", undefined, {
        token,
        email,
        password,
        ...(displayName.trim() ? { displayName } : {}),
      }),
    );
    // Signed in by the answer's cookie: into the portal, without the token in the address bar.
    if (done) window.location.assign("/#/new-community");
  };
  return (
    <main className="login">
      <div className="card">
        <h1>Set up WaddleBot</h1>
        <Loaded state={status}>
          {(s) =>
            s.ownerExists ? (
              <p className="notice" role="status">
                This instance already has its owner. <a href="/">Sign in</a>.
              </p>
            ) : !token ? (
              <ErrorBox message="This setup link is incomplete: open the whole URL printed by npm run deploy." />
            ) : (
              <form className="stack" onSubmit={submit}>
                <p>You are the first person here: you become the instance owner. This link works once.</p>
                <label>
                  Email
                  <input
                    type="email"
                    required
                    autoComplete="email"
                    value={email}
                    onChange={(e) => setEmail(e.target.value)}
                  />
                </label>
                <label>
                  Name (optional)
                  <input value={displayName} onChange={(e) => setDisplayName(e.target.value)} />
                </label>
                <NewPasswordFields
                  label="Password"
                  password={password}
                  again={again}
                  onPassword={setPassword}
                  onAgain={setAgain}
                />
                <ErrorBox message={action.error} />
                <button type="submit" disabled={action.busy}>
                  {action.busy ? "Creating…" : "Create the owner account"}
                </button>
              </form>
            )
          }
        </Loaded>
      </div>
    </main>
  );
}
