import { type FormEvent, useState } from "react";
import { api } from "../api/client.ts";
import { ErrorBox, useAction } from "../components/ui.tsx";
import { ROLES } from "../session.ts";

/**
 * Adding a member is an emailed invitation: the person accepts with their own password or a
 * platform login, so an admin never chooses anyone's password. The answer (202) says only
 * that the invitation went out, whether or not the address has an account; it is shown as is.
 */
export function InviteForm({ communityId, onInvited }: { communityId: string; onInvited(): void }) {
  const [email, setEmail] = useState("");
  const [displayName, setDisplayName] = useState("");
  const [role, setRole] = useState<(typeof ROLES)[number]>("member");
  const [sent, setSent] = useState<string | null>(null);
  const action = useAction();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setSent(null);
    const message = await action.run(() =>
      api.postForMessage(
        "/api/v1/communities/{communityId}/members",
        { path: { communityId } },
        { email, role, ...(displayName.trim() ? { displayName } : {}) },
      ),
    );
    if (message === undefined) return;
    setSent(`${message || `Invitation sent to ${email}`}. It works for 7 days; they join when they accept it.`);
    setEmail("");
    setDisplayName("");
    onInvited();
  };
  return (
    <form className="card form" onSubmit={submit} aria-labelledby="invite-title">
      <h2 id="invite-title">Invite by email</h2>
      <label>
        Email
        <input type="email" required value={email} onChange={(e) => setEmail(e.target.value)} />
      </label>
      <label>
        Name (optional)
        <input value={displayName} onChange={(e) => setDisplayName(e.target.value)} />
      </label>
      <label>
        Role
        <select value={role} onChange={(e) => setRole(e.target.value as (typeof ROLES)[number])}>
          {ROLES.map((r) => (
            <option key={r}>{r}</option>
          ))}
        </select>
      </label>
      <ErrorBox message={action.error} />
      {sent && (
        <p className="notice full" role="status">
          {sent}
        </p>
      )}
      <div className="buttons">
        <button type="submit" disabled={action.busy}>
          {action.busy ? "Sending…" : "Send invitation"}
        </button>
      </div>
    </form>
  );
}
