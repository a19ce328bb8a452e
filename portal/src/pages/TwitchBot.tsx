import { api } from "../api/client.ts";
import { ErrorBox, Loaded, useAction, useAsync } from "../components/ui.tsx";

/** The instance's Twitch bot account (instance owner only): chat is sent and whispers come from it. */
export function TwitchBot() {
  const bot = useAsync(() => api.get("/api/v1/connections/twitch-bot"), []);
  const start = useAction();
  const authorise = async () => {
    const out = await start.run(() => api.post("/api/v1/connections/twitch-bot"));
    if (out) window.location.assign(out.authorizeUrl);
  };
  return (
    <section className="card twitch-bot" aria-label="Twitch bot account">
      <h2>Twitch bot account (this instance)</h2>
      <Loaded state={bot}>
        {(b) => (
          <>
            <p>
              {b.authorised ? (
                <>
                  Authorised as <code>{b.login}</code> ({b.userId})
                </>
              ) : (
                "Not authorised: sign in to Twitch as the bot account, then authorise it here once."
              )}
            </p>
            {b.authorised && b.missing.length > 0 && (
              <ul className="problems">
                {b.missing.map((m) => (
                  <li key={m.scope}>
                    The bot has not granted {m.scope} — {m.effect}.
                  </li>
                ))}
              </ul>
            )}
            <button type="button" className="secondary" disabled={start.busy} onClick={authorise}>
              {b.authorised ? "Authorise again" : "Authorise the bot account"}
            </button>
            <ErrorBox message={start.error} />
          </>
        )}
      </Loaded>
    </section>
  );
}
