import { api } from "../api/client.ts";
import { Empty, ErrorBox, Loaded, Page, useAction, useAsync } from "../components/ui.tsx";
import { can, useCommunityId, useSession } from "../session.ts";
import { ModuleLinks } from "./modules/shared.tsx";

/**
 * What the first-party modules hold for this community: quotes (deletable), counters, the
 * loyalty leaderboard, giveaways with their winners, timers; each module's own page (linked at
 * the top) is where admins change them.
 */
export default function ModuleData() {
  const communityId = useCommunityId();
  // Moderators read this page; deleting needs modules:write (admins), as the API checks.
  const writable = can(useSession(), "modules:write");
  const content = useAsync(
    () => api.get("/api/v1/communities/{communityId}/first-party/content", { path: { communityId } }),
    [communityId],
  );
  const action = useAction();
  const removeQuote = async (number: number) => {
    if (!window.confirm(`Delete quote #${number}?`)) return;
    await action.run(() =>
      api.delete("/api/v1/communities/{communityId}/first-party/quotes/{number}", {
        path: { communityId, number },
      }),
    );
    await content.reload();
  };
  return (
    <Page title="Module data">
      <ModuleLinks />
      <ErrorBox message={action.error} />
      <Loaded state={content}>
        {(data) => (
          <>
            <section className="card" aria-labelledby="quotes-title">
              <h2 id="quotes-title">Quotes</h2>
              {data.quotes.length === 0 ? (
                <Empty>No quotes yet: chat adds them with !quote add.</Empty>
              ) : (
                <div className="table-wrap">
                  <table>
                    <thead>
                      <tr>
                        <th scope="col">#</th>
                        <th scope="col">Quote</th>
                        <th scope="col">Added by</th>
                        <th scope="col">
                          <span className="visually-hidden">Actions</span>
                        </th>
                      </tr>
                    </thead>
                    <tbody>
                      {data.quotes.map((q) => (
                        <tr key={q.number} data-quote={q.number}>
                          <td>{q.number}</td>
                          <td className="wrap">{q.text}</td>
                          <td>{q.addedBy}</td>
                          <td className="actions">
                            {writable && (
                              <button
                                type="button"
                                className="danger"
                                disabled={action.busy}
                                onClick={() => removeQuote(q.number)}
                              >
                                Delete<span className="visually-hidden"> quote {q.number}</span>
                              </button>
                            )}
                          </td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              )}
            </section>
            <section className="card" aria-labelledby="counters-title">
              <h2 id="counters-title">Counters</h2>
              {data.counters.length === 0 ? (
                <Empty>No counters yet: !deaths +1 starts one.</Empty>
              ) : (
                <ul data-list="counters">
                  {data.counters.map((c) => (
                    <li key={c.name}>
                      <code>{c.name}</code>: {c.value}
                    </li>
                  ))}
                </ul>
              )}
            </section>
            <section className="card" aria-labelledby="leaderboard-title">
              <h2 id="leaderboard-title">Loyalty leaderboard</h2>
              {data.leaderboard.length === 0 ? (
                <Empty>Nobody has points yet.</Empty>
              ) : (
                <ol data-list="leaderboard">
                  {data.leaderboard.map((r) => (
                    <li key={r.name}>
                      {r.name}: {r.points}
                    </li>
                  ))}
                </ol>
              )}
            </section>
            <section className="card" aria-labelledby="giveaways-title">
              <h2 id="giveaways-title">Giveaways</h2>
              {data.giveaways.length === 0 ? (
                <Empty>No giveaways yet: a moderator starts one with !giveaway start keyword 5m.</Empty>
              ) : (
                <ul data-list="giveaways">
                  {data.giveaways.map((g) => (
                    <li key={g.id}>
                      <code>{g.keyword}</code> — {g.status}, {g.entries} entries
                      {g.winners.length ? `, won by ${g.winners.join(", ")}` : ""}
                    </li>
                  ))}
                </ul>
              )}
            </section>
            <section className="card" aria-labelledby="timers-title">
              <h2 id="timers-title">Timers</h2>
              {data.timers.length === 0 ? (
                <Empty>No timers yet: a moderator adds one with !timer add.</Empty>
              ) : (
                <ul data-list="timers">
                  {data.timers.map((t) => (
                    <li key={t.name}>
                      <code>{t.name}</code> every {t.intervalMin} min after {t.minLines} lines ({t.platform}):{" "}
                      {t.message}
                    </li>
                  ))}
                </ul>
              )}
            </section>
          </>
        )}
      </Loaded>
    </Page>
  );
}
