import { type FormEvent, useState } from "react";
import { ApiError, api, type Schemas } from "../api/client.ts";
import { ErrorBox, messageOf, NewPasswordFields } from "../components/ui.tsx";
import { returnHereAfterSignIn } from "../public-routes.ts";
import { COMMUNITY_KEY } from "../session.ts";

/**
 * `/accept-invite?token=wbi_…`, the link in the invitation email. A new person chooses their
 * own password here (nobody else ever picks it); someone signed in accepts as themselves; an
 * email that already has an account must sign in first (the API answers 409), and this page
 * is where the sign-in brings them back. The accept call signs a new account in itself.
 */
export function AcceptInvite({ me }: { me: Schemas["SessionInfo"] | null }) {
  const token = new URLSearchParams(window.location.search).get("token") ?? "";
  const [displayName, setDisplayName] = useState("");
  const [password, setPassword] = useState("");
  const [again, setAgain] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ message: string; signInFirst: boolean } | null>(null);

  const accept = async (e?: FormEvent) => {
    e?.preventDefault();
    if (!me && password !== again) {
      setError({ message: "The two passwords differ; type the same one twice", signInFirst: false });
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const body = me ? { token } : { token, password, ...(displayName.trim() ? { displayName } : {}) };
      const joined = await api.post("/api/v1/auth/invites/accept", undefined, body);
      localStorage.setItem(COMMUNITY_KEY, joined.communityId);
      window.location.assign("/#/dashboard");
    } catch (err) {
      setError({ message: messageOf(err), signInFirst: err instanceof ApiError && err.status === 409 });
      setBusy(false);
    }
  };

  return (
    <main className="login">
      <div className="card">
        <h1>Join a community on WaddleBot</h1>
        <p>
          You were invited by email to help run a community on WaddleBot. Accepting makes you a member with the role
          named in the email. The link works once and for 7 days.
        </p>
        {!/^wbi_[0-9a-f]+$/.test(token) ? (
          <ErrorBox message="This invitation link is incomplete: open the whole link from the email, or ask for a new invitation." />
        ) : me ? (
          <>
            <p>
              You are signed in as <strong>{me.user.displayName}</strong>
              {me.user.email ? ` (${me.user.email})` : ""}.
            </p>
            <Failure error={error} />
            <div className="buttons">
              <button type="button" disabled={busy} onClick={() => void accept()}>
                {busy ? "Accepting…" : `Accept as ${me.user.displayName}`}
              </button>
              <a className="button secondary" href="/">
                Not now
              </a>
            </div>
          </>
        ) : (
          <form className="stack" onSubmit={accept}>
            <p>New to WaddleBot? Choose your name and your own password (at least 12 characters).</p>
            <label>
              Display name (optional)
              <input autoComplete="nickname" value={displayName} onChange={(e) => setDisplayName(e.target.value)} />
            </label>
            <NewPasswordFields
              label="Password"
              password={password}
              again={again}
              onPassword={setPassword}
              onAgain={setAgain}
            />
            <Failure error={error} />
            <button type="submit" disabled={busy}>
              {busy ? "Accepting…" : "Create my account and accept"}
            </button>
            <p className="muted">
              Already have a WaddleBot account?{" "}
              <a href="/" onClick={returnHereAfterSignIn}>
                Sign in first
              </a>
              , then accept as yourself.
            </p>
          </form>
        )}
      </div>
    </main>
  );
}

/** The API's message; after a 409 (the email has an account) the way to sign in and come back. */
function Failure({ error }: { error: { message: string; signInFirst: boolean } | null }) {
  if (!error) return null;
  return (
    <div className="error" role="alert">
      {error.message}
      {error.signInFirst && (
        <>
          {" "}
          <a href="/" onClick={returnHereAfterSignIn}>
            Sign in, then come back to this invitation
          </a>
        </>
      )}
    </div>
  );
}
