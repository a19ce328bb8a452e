import { api, type Schemas } from "../api/client.ts";
import { Loaded, useAsync } from "../components/ui.tsx";

type Worker = Schemas["SystemHealth"]["workers"][number];

/** The services and their checks in plain words (the API's names stay in the API). */
const WORKERS: Record<string, string> = {
  router: "Bot and portal",
  identity: "Accounts and sign-in",
  webhooks: "Platform webhooks (Discord, Twitch, Slack)",
};
const CHECKS: Record<string, string> = {
  d1: "database",
  durableObject: "live state (rate limits, overlays)",
  identity: "sign-in service",
  router: "bot",
};
const STATUS: Record<Worker["status"], string> = {
  ok: "working",
  degraded: "slow or partly failing",
  down: "not working",
  unknown: "checked by the platforms, not from here",
};

/** Service health behind a "System" disclosure: most people never need it, so it starts closed. */
export function SystemHealth() {
  const health = useAsync(() => api.get("/api/v1/system/health"), []);
  return (
    <details className="system">
      <summary>System</summary>
      <Loaded state={health}>
        {(h) => (
          <ul className="health">
            {h.workers.map((w) => (
              <li key={w.worker} className={`status-${w.status}`} data-worker={w.worker}>
                <strong>{WORKERS[w.worker] ?? w.worker}</strong>: {STATUS[w.status]}
                {Object.entries(w.checks).map(([name, c]) => (
                  <span key={name} className="muted">
                    {" "}
                    · {CHECKS[name] ?? name} {c.status === "ok" ? "working" : "not working"}
                    {c.latencyMs !== undefined && ` (${c.latencyMs} ms)`}
                  </span>
                ))}
              </li>
            ))}
          </ul>
        )}
      </Loaded>
    </details>
  );
}
