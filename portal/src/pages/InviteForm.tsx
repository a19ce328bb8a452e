import { type FormEvent, useState } from "react";
import { api } from "../api/client.ts";
import { Field, FormError } from "../components/field.tsx";
import { useAction } from "../components/ui.tsx";
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
    <form className="card form" onSubmit={submit} aria-labelledby="invite-title" noValidate>
      <h2 id="invite-title">Invite by email</h2>
      <Field label="Email" path="email" issues={action.issues}>
        {(p) => <input {...p} type="email" required value={email} onChange={(e) => setEmail(e.target.value)} />}
      </Field>
      <Field label="Name (optional)" path="displayName" issues={action.issues}>
        {(p) => <input {...p} value={displayName} onChange={(e) => setDisplayName(e.target.value)} />}
      </Field>
      <Field label="Role" path="role" issues={action.issues}>
        {(p) => (
          <select {...p} value={role} onChange={(e) => setRole(e.target.value as (typeof ROLES)[number])}>
            {ROLES.map((r) => (
              <option key={r}>{r}</option>
            ))}
          </select>
        )}
      </Field>
      <FormError error={action.error} issues={action.issues} fields={["email", "displayName", "role"]} />
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
