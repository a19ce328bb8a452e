import { api, type Schemas } from "../api/client.ts";
import { useConfirm } from "../components/confirm.tsx";
import { DataTable } from "../components/table.tsx";
import { useToast } from "../components/toast.tsx";
import { Empty, ErrorBox, Loaded, Page, useAction, useAsync } from "../components/ui.tsx";
import { can, ROLES, useCommunityId, useSession } from "../session.ts";
import { InviteForm } from "./InviteForm.tsx";

type Role = (typeof ROLES)[number];
type Member = Schemas["Member"];

/**
 * Members with their linked platform accounts, role, reputation and points. Admins change roles
 * after a confirmation; making someone owner (or taking it away) needs the community's name typed.
 */
export default function Members() {
  const session = useSession();
  const communityId = useCommunityId();
  const communityName = session.community?.name ?? "";
  const writable = can(session, "members:write");
  const list = useAsync(
    () => api.get("/api/v1/communities/{communityId}/members", { path: { communityId } }),
    [communityId],
  );
  const change = useAction();
  const toast = useToast();
  const { confirm, dialog } = useConfirm();
  const setRole = async (m: Member, role: Role) => {
    const owner = role === "owner" || m.role === "owner";
    const ok = await confirm({
      title: `Make ${m.displayName} ${role}?`,
      body: owner
        ? `${m.displayName} goes from ${m.role} to ${role}. Owners may do everything, including connecting platforms and changing other owners. They are told by email.`
        : `${m.displayName} goes from ${m.role} to ${role}. They are told by email.`,
      confirmLabel: `Make ${role}`,
      danger: owner,
      ...(owner ? { typeToConfirm: communityName } : {}),
    });
    if (!ok) return;
    const done = await change.run(() =>
      api.put(
        "/api/v1/communities/{communityId}/members/{userId}/role",
        { path: { communityId, userId: m.userId } },
        { role },
      ),
    );
    if (done) toast(`${m.displayName} is now ${role}`);
    await list.reload();
  };
  return (
    <Page title="Members and roles">
      {writable && <InviteForm communityId={communityId} onInvited={() => void list.reload()} />}
      <ErrorBox message={change.error} />
      {dialog}
      <Loaded state={list}>
        {(members) =>
          members.length === 0 ? (
            <Empty>No members yet.</Empty>
          ) : (
            <DataTable
              caption="Members"
              rows={members}
              rowKey={(m) => m.userId}
              rowProps={(m) => ({ "data-member": m.email ?? m.displayName })}
              columns={[
                {
                  label: "Member",
                  wrap: true,
                  cell: (m) => (
                    <>
                      {m.displayName}
                      {m.email && <div className="muted">{m.email}</div>}
                    </>
                  ),
                },
                {
                  label: "Linked accounts",
                  wrap: true,
                  cell: (m) =>
                    m.identities.length === 0 ? (
                      <span className="muted">none</span>
                    ) : (
                      m.identities.map((i) => (
                        <span key={`${i.platform}:${i.platformUserId}`} className={`badge platform-${i.platform}`}>
                          {i.platform}: {i.username}
                        </span>
                      ))
                    ),
                },
                {
                  label: "Role",
                  cell: (m) =>
                    writable && m.userId !== session.me.user.id ? (
                      <select
                        aria-label={`Role of ${m.displayName}`}
                        value={m.role}
                        disabled={change.busy}
                        onChange={(e) => void setRole(m, e.target.value as Role)}
                      >
                        {ROLES.map((r) => (
                          <option key={r}>{r}</option>
                        ))}
                      </select>
                    ) : (
                      m.role
                    ),
                },
                { label: "Reputation", cell: (m) => m.reputation },
                { label: "Points", cell: (m) => m.points },
              ]}
            />
          )
        }
      </Loaded>
    </Page>
  );
}
