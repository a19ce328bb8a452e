import { api } from "../api/client.ts";
import { Empty, ErrorBox, Loaded, Page, useAction, useAsync } from "../components/ui.tsx";
import { can, ROLES, useCommunityId, useSession } from "../session.ts";
import { InviteForm } from "./InviteForm.tsx";

/** Members with their linked platform accounts, role, reputation and points; admins change roles. */
export default function Members() {
  const session = useSession();
  const communityId = useCommunityId();
  const writable = can(session, "members:write");
  const list = useAsync(
    () => api.get("/api/v1/communities/{communityId}/members", { path: { communityId } }),
    [communityId],
  );
  const change = useAction();
  const setRole = async (userId: string, role: (typeof ROLES)[number]) => {
    await change.run(() =>
      api.put("/api/v1/communities/{communityId}/members/{userId}/role", { path: { communityId, userId } }, { role }),
    );
    await list.reload();
  };
  return (
    <Page title="Members and roles">
      {writable && <InviteForm communityId={communityId} onInvited={() => void list.reload()} />}
      <ErrorBox message={change.error} />
      <Loaded state={list}>
        {(members) =>
          members.length === 0 ? (
            <Empty>No members yet.</Empty>
          ) : (
            <div className="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th scope="col">Member</th>
                    <th scope="col">Linked accounts</th>
                    <th scope="col">Role</th>
                    <th scope="col">Reputation</th>
                    <th scope="col">Points</th>
                  </tr>
                </thead>
                <tbody>
                  {members.map((m) => (
                    <tr key={m.userId} data-member={m.email ?? m.displayName}>
                      <td>
                        {m.displayName}
                        {m.email && <div className="muted">{m.email}</div>}
                      </td>
                      <td>
                        {m.identities.length === 0 ? (
                          <span className="muted">none</span>
                        ) : (
                          m.identities.map((i) => (
                            <span key={`${i.platform}:${i.platformUserId}`} className={`badge platform-${i.platform}`}>
                              {i.platform}: {i.username}
                            </span>
                          ))
                        )}
                      </td>
                      <td>
                        {writable && m.userId !== session.me.user.id ? (
                          <select
                            aria-label={`Role of ${m.displayName}`}
                            value={m.role}
                            disabled={change.busy}
                            onChange={(e) => void setRole(m.userId, e.target.value as (typeof ROLES)[number])}
                          >
                            {ROLES.map((r) => (
                              <option key={r}>{r}</option>
                            ))}
                          </select>
                        ) : (
                          m.role
                        )}
                      </td>
                      <td>{m.reputation}</td>
                      <td>{m.points}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )
        }
      </Loaded>
    </Page>
  );
}
