import { useCallback, useEffect, useState } from "react";
import { ApiError, api, type Schemas, setCsrfToken } from "./api/client.ts";
import { Layout } from "./components/Layout.tsx";
import { ToastProvider } from "./components/toast.tsx";
import { ErrorBox, Spinner } from "./components/ui.tsx";
import { AcceptInvite } from "./pages/AcceptInvite.tsx";
import { Login } from "./pages/Login.tsx";
import { ResetPassword } from "./pages/ResetPassword.tsx";
import { Setup } from "./pages/Setup.tsx";
import { publicRoute, takeReturnPath } from "./public-routes.ts";
import { COMMUNITY_KEY, type Session, SessionContext } from "./session.ts";

type Loaded = { me: Schemas["SessionInfo"]; communities: Schemas["Community"][] };

/**
 * Signed out → the login page; signed in → the layout with the chosen community. The pages
 * an emailed link opens (accept an invite, reset a password) come first, signed in or not.
 */
export function App() {
  const emailed = publicRoute();
  const [state, setState] = useState<Loaded | null | "loading">("loading");
  const [error, setError] = useState<string | null>(null);
  const [communityId, setCommunityId] = useState<string | null>(() => localStorage.getItem(COMMUNITY_KEY));

  const load = useCallback(async () => {
    try {
      const me = await api.get("/api/v1/auth/me");
      setCsrfToken(me.csrfToken);
      const communities = await api.get("/api/v1/communities");
      setState({ me, communities });
      setError(null);
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) setState(null);
      else {
        setError(err instanceof Error ? err.message : "Could not load your session");
        setState(null);
      }
    }
  }, []);
  useEffect(() => {
    void load();
  }, [load]);
  // Back to the invitation that sent the person to sign in, else into the portal.
  const afterSignIn = async () => {
    const back = takeReturnPath();
    if (back) window.location.assign(back);
    else await load();
  };

  // Signing in again is the reset's last step: the session, if any, is not needed here.
  if (emailed === "reset-password") return <ResetPassword />;
  // The first run: before any account exists, so before any session.
  if (emailed === "setup") return <Setup />;
  if (state === "loading") return <Spinner label="Loading WaddleBot…" />;
  if (emailed === "accept-invite") return <AcceptInvite me={state?.me ?? null} />;
  if (!state)
    return (
      <>
        <ErrorBox message={error} />
        <Login onSignedIn={afterSignIn} />
      </>
    );

  const community = state.communities.find((c) => c.id === communityId) ?? state.communities[0] ?? null;
  const session: Session = {
    ...state,
    community,
    setCommunity: (id) => {
      localStorage.setItem(COMMUNITY_KEY, id);
      setCommunityId(id);
    },
    signOut: async () => {
      await api.post("/api/v1/auth/logout").catch(() => undefined);
      setCsrfToken(null);
      setState(null);
      window.location.hash = "";
    },
  };
  return (
    <SessionContext.Provider value={session}>
      <ToastProvider>
        <Layout key={community?.id ?? "none"} />
      </ToastProvider>
    </SessionContext.Provider>
  );
}
