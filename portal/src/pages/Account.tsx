import { api, type Schemas } from "../api/client.ts";
import { AuditTable } from "../components/AuditTable.tsx";
import { Empty, ErrorBox, Loaded, Page, useAction, useAsync } from "../components/ui.tsx";
import { useSession } from "../session.ts";

const PLATFORM = { discord: "Discord", twitch: "Twitch", slack: "Slack" } as const;
const when = (iso: string) => new Date(iso).toLocaleString();

/**
 * My account: the chat identities linked to me, and the link requests that wait for my
 * approval. A chat account that proved it reads one of my identities' DMs still joins my
 * account only when I approve here, signed in (workers/identity/src/linking/link-policy.ts).
 */
export default function Account() {
  const { me } = useSession();
  const identities = useAsync(() => api.get("/api/v1/me/identities"), []);
  const requests = useAsync(() => api.get("/api/v1/me/identities/requests"), []);
  const decide = useAction();
  // Sign-ins, keys and links are recorded with no community: this is where their owner sees them.
  const events = useAsync(() => api.get("/api/v1/audit", { query: { actorId: me.user.id, limit: 20 } }), []);
  const act = async (request: Schemas["IdentityLinkRequest"], verb: "approve" | "reject") => {
    const path = { path: { requestId: request.id } };
    await decide.run(() =>
      verb === "approve"
        ? api.post("/api/v1/me/identities/requests/{requestId}/approve", path)
        : api.post("/api/v1/me/identities/requests/{requestId}/reject", path),
    );
    // Either way (or after a refusal, e.g. the request expired) the lists are re-read.
    await Promise.all([requests.reload(), identities.reload()]);
  };
  return (
    <Page title="My account">
      <p>
        Signed in as <strong>{me.user.displayName}</strong>
        {me.user.email ? ` (${me.user.email})` : ""}.
      </p>
      <h2>Link requests waiting for you</h2>
      <ErrorBox message={decide.error} />
      <Loaded state={requests}>
        {(list) =>
          list.length === 0 ? (
            <Empty>No link requests are waiting.</Empty>
          ) : (
            <ul className="requests">
              {list.map((r) => (
                <li key={r.id} className="card" data-request={r.id}>
                  <p>
                    <strong>{r.requester.username}</strong> on {PLATFORM[r.requester.platform]} asked to link your{" "}
                    {PLATFORM[r.target.platform]} account <strong>{r.target.username}</strong>, and typed the code sent
                    to it. Asked {when(r.createdAt)}; open until {when(r.expiresAt)}.
                  </p>
                  <p className="warning" role="note">
                    Approving merges that {PLATFORM[r.requester.platform]} chat account into yours: its points and
                    identities become yours, and whoever uses it acts as you in chat. Reject it if you did not ask for
                    this yourself.
                  </p>
                  <div className="buttons">
                    <button type="button" disabled={decide.busy} onClick={() => void act(r, "approve")}>
                      Approve and merge
                      <span className="visually-hidden"> {r.requester.username}</span>
                    </button>
                    <button
                      type="button"
                      className="danger"
                      disabled={decide.busy}
                      onClick={() => void act(r, "reject")}
                    >
                      Reject
                      <span className="visually-hidden"> {r.requester.username}</span>
                    </button>
                  </div>
                </li>
              ))}
            </ul>
          )
        }
      </Loaded>
      <h2>My linked chat accounts</h2>
      <Loaded state={identities}>
        {(list) =>
          list.length === 0 ? (
            <Empty>No chat accounts are linked to you yet.</Empty>
          ) : (
            <ul className="list" data-testid="my-identities">
              {list.map((i) => (
                <li key={`${i.platform}:${i.platformUserId}`}>
                  <span className={`badge platform-${i.platform}`}>{PLATFORM[i.platform]}</span> {i.username}
                </li>
              ))}
            </ul>
          )
        }
      </Loaded>
      <h2>My recent account events</h2>
      <Loaded state={events}>
        {(list) =>
          list.length === 0 ? (
            <Empty>Nothing recorded yet.</Empty>
          ) : (
            <AuditTable entries={list} caption="My account events" />
          )
        }
      </Loaded>
    </Page>
  );
}
