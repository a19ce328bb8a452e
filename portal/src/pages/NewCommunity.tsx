import { type FormEvent, useState } from "react";
import { api } from "../api/client.ts";
import { ErrorBox, Page, useAction } from "../components/ui.tsx";
import { COMMUNITY_KEY } from "../session.ts";

/** A slug from a name: what the API accepts (3–40 lowercase letters, digits, inner hyphens). */
const slugOf = (name: string) =>
  name
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 40);

/**
 * "New community": the caller becomes its owner. Who may is the instance's setting
 * (COMMUNITY_CREATION); a refusal is shown in the API's words.
 */
export default function NewCommunity() {
  const [name, setName] = useState("");
  const [slug, setSlug] = useState("");
  const [slugEdited, setSlugEdited] = useState(false);
  const action = useAction();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const created = await action.run(() => api.post("/api/v1/communities", undefined, { name, slug }));
    if (!created) return;
    // Reload with the new community selected: the switcher and the session list it.
    localStorage.setItem(COMMUNITY_KEY, created.id);
    window.location.hash = "#/platforms";
    window.location.reload();
  };
  return (
    <Page title="New community">
      <form className="card form" onSubmit={submit}>
        <label>
          Name
          <input
            required
            maxLength={100}
            value={name}
            onChange={(e) => {
              setName(e.target.value);
              if (!slugEdited) setSlug(slugOf(e.target.value));
            }}
          />
        </label>
        <label>
          Short name (in URLs)
          <input
            required
            pattern="[a-z0-9](?:[a-z0-9\-]{1,38})[a-z0-9]"
            title="3–40 lowercase letters, digits or inner hyphens"
            value={slug}
            onChange={(e) => {
              setSlugEdited(true);
              setSlug(e.target.value);
            }}
          />
        </label>
        <ErrorBox message={action.error} />
        <div className="buttons">
          <button type="submit" disabled={action.busy}>
            {action.busy ? "Creating…" : "Create community"}
          </button>
        </div>
        <p className="muted full">
          You become its owner. Next, connect its Discord server, Twitch channel or Slack workspace.
        </p>
      </form>
    </Page>
  );
}
