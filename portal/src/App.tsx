import { useCallback, useEffect, useState } from "react";
import { ApiError, api, type Schemas, setCsrfToken } from "./api/client.ts";
import { Layout } from "./components/Layout.tsx";
import { ErrorBox, Spinner } from "./components/ui.tsx";
import { Login } from "./pages/Login.tsx";
import { type Session, SessionContext } from "./session.ts";

const COMMUNITY_KEY = "waddlebot.community";

type Loaded = { me: Schemas["SessionInfo"]; communities: Schemas["Community"][] };

/** Signed out → the login page; signed in → the layout with the chosen community. */
export function App() {
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

  if (state === "loading") return <Spinner label="Loading WaddleBot…" />;
  if (!state)
    return (
      <>
        <ErrorBox message={error} />
        <Login onSignedIn={load} />
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
      <Layout key={community?.id ?? "none"} />
    </SessionContext.Provider>
  );
}
