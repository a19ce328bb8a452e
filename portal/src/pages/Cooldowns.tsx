import { type FormEvent, useEffect, useState } from "react";
import { api, type Schemas } from "../api/client.ts";
import { Field, FormError, num } from "../components/field.tsx";
import { useToast } from "../components/toast.tsx";
import { Loaded, Page, useAction, useAsync } from "../components/ui.tsx";
import { can, useCommunityId, useSession } from "../session.ts";

type Settings = Schemas["CooldownSettings"];
const FIELDS = ["userCommandLimit", "userCommandWindowSec", "communityLimit", "communityWindowSec", "rateLimitedReply"];

/**
 * The community's rate limits: uses per user and command in a window, commands per window in the
 * whole community, and what the bot says to someone who hits one. Per-command cooldowns are on
 * each command (Commands page).
 */
export default function Cooldowns() {
  const session = useSession();
  const communityId = useCommunityId();
  const writable = can(session, "cooldowns:write");
  const settings = useAsync(
    () => api.get("/api/v1/communities/{communityId}/cooldowns", { path: { communityId } }),
    [communityId],
  );
  return (
    <Page title="Cooldowns and rate limits">
      <p className="muted">
        These apply to every command. Each command also has its own cooldown per user and for everyone (Commands page).
      </p>
      <Loaded state={settings}>
        {(s) => <CooldownForm communityId={communityId} settings={s} writable={writable} />}
      </Loaded>
    </Page>
  );
}

function CooldownForm(props: { communityId: string; settings: Settings; writable: boolean }) {
  const [form, setForm] = useState({ ...props.settings, rateLimitedReply: props.settings.rateLimitedReply ?? "" });
  useEffect(
    () => setForm({ ...props.settings, rateLimitedReply: props.settings.rateLimitedReply ?? "" }),
    [props.settings],
  );
  const save = useAction();
  const toast = useToast();
  const set = <K extends keyof typeof form>(k: K, v: (typeof form)[K]) => setForm({ ...form, [k]: v });
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const done = await save.run(() =>
      api.put(
        "/api/v1/communities/{communityId}/cooldowns",
        { path: { communityId: props.communityId } },
        { ...form, rateLimitedReply: form.rateLimitedReply.trim() ? form.rateLimitedReply : null },
      ),
    );
    if (done) toast("Rate limits saved");
  };
  const number = (
    key: "userCommandLimit" | "userCommandWindowSec" | "communityLimit" | "communityWindowSec",
    label: string,
    hint?: string,
  ) => (
    <Field label={label} path={key} issues={save.issues} hint={hint}>
      {(p) => (
        <input
          {...p}
          type="number"
          min={0}
          disabled={!props.writable}
          value={Number.isNaN(form[key]) ? "" : form[key]}
          onChange={(e) => set(key, num(e.target.value))}
        />
      )}
    </Field>
  );
  return (
    <form className="card form" onSubmit={submit} aria-label="Rate limits" noValidate>
      {number("userCommandLimit", "Uses per person and command")}
      {number("userCommandWindowSec", "…within (s)")}
      {number("communityLimit", "Commands in the whole community", "0 = no community-wide limit")}
      {number("communityWindowSec", "…within (s)")}
      <Field
        label="What the bot says to someone rate-limited"
        path="rateLimitedReply"
        className="full"
        issues={save.issues}
        max={300}
        value={form.rateLimitedReply}
        hint="{user} and {retry} (seconds) are filled in; leave empty to say nothing."
      >
        {(p) => (
          <input
            {...p}
            disabled={!props.writable}
            value={form.rateLimitedReply}
            onChange={(e) => set("rateLimitedReply", e.target.value)}
          />
        )}
      </Field>
      <FormError error={save.error} issues={save.issues} fields={FIELDS} />
      {props.writable && (
        <div className="buttons">
          <button type="submit" disabled={save.busy}>
            {save.busy ? "Saving…" : "Save limits"}
          </button>
        </div>
      )}
    </form>
  );
}
