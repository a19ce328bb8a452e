import { api } from "../api/client.ts";
import { DailyChart } from "../components/Chart.tsx";
import { Empty, Loaded, Page, useAsync } from "../components/ui.tsx";
import { useCommunityId } from "../session.ts";
import { GettingStarted } from "./GettingStarted.tsx";
import { SystemHealth } from "./SystemHealth.tsx";

export default function Dashboard() {
  const communityId = useCommunityId();
  const stats = useAsync(
    () => api.get("/api/v1/communities/{communityId}/stats", { path: { communityId }, query: { days: 30 } }),
    [communityId],
  );
  return (
    <Page title="Dashboard">
      <GettingStarted communityId={communityId} />
      <Loaded state={stats}>
        {(s) => (
          <>
            <div className="tiles">
              <div className="tile">
                <strong data-testid="members-count">{s.members}</strong> members
              </div>
              <div className="tile">
                <strong>{s.days.reduce((n, d) => n + d.commands, 0)}</strong> commands run (30 days)
              </div>
              <div className="tile">
                <strong>{s.days.reduce((n, d) => n + d.events, 0)}</strong> events (30 days)
              </div>
            </div>
            <h2>Per day, last 30 days</h2>
            <DailyChart days={s.days} />
            <div className="columns">
              <div>
                <h2>Top commands</h2>
                {s.topCommands.length === 0 ? (
                  <Empty>No commands run in the last 30 days.</Empty>
                ) : (
                  <ol className="list">
                    {s.topCommands.map((t) => (
                      <li key={t.command}>
                        <code>{t.command}</code> <span className="muted">{t.count} runs</span>
                      </li>
                    ))}
                  </ol>
                )}
              </div>
              <div>
                <h2>Recent moderation actions</h2>
                {s.recentModeration.length === 0 ? (
                  <Empty>No moderation rule has matched yet.</Empty>
                ) : (
                  <ul className="list">
                    {s.recentModeration.map((m) => (
                      <li key={`${m.at}-${m.user}`}>
                        <strong>{m.action}</strong> {m.user} on {m.platform} — {m.rule}{" "}
                        <span className="muted">{new Date(m.at).toLocaleString()}</span>
                      </li>
                    ))}
                  </ul>
                )}
              </div>
            </div>
          </>
        )}
      </Loaded>
      <SystemHealth />
    </Page>
  );
}
