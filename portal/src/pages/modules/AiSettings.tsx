import { type FormEvent, useEffect, useState } from "react";
import { api, type Schemas } from "../../api/client.ts";
import { Field, FormError, num } from "../../components/field.tsx";
import { useToast } from "../../components/toast.tsx";
import { Empty, Loaded, Page, useAction } from "../../components/ui.tsx";
import { useCommunityId } from "../../session.ts";
import { ModuleLinks, useInstallation, useWritable } from "./shared.tsx";

type Installation = NonNullable<Schemas["Installation"]>;
const DEFAULTS = {
  systemPrompt: "You are WaddleBot, a friendly chat bot. Answer in one or two short sentences.",
  mentionReplies: false,
  botName: "WaddleBot",
  dailyTokens: 20000,
  userCooldownSec: 30,
};
type Settings = typeof DEFAULTS;
const FIELDS = Object.keys(DEFAULTS).map((k) => `settings.${k}`);

const settingsOf = (inst: Installation): Settings => ({ ...DEFAULTS, ...(inst.settings as Partial<Settings>) });

/**
 * The ai module's settings: the system prompt, replies when the bot is mentioned (off by
 * default), the seconds between one person's questions and the community's daily token budget.
 */
export default function AiSettings() {
  const installation = useInstallation("ai");
  return (
    <Page title="AI chat">
      <ModuleLinks current="module-ai" />
      <p className="muted">
        !ai question in chat, and when switched on a mention of the bot, is answered by the instance's AI provider. The
        community's moderation rules are applied to every answer before it is posted.
      </p>
      <Loaded state={installation}>
        {(inst) =>
          inst ? (
            <AiForm installation={inst} onSaved={installation.reload} />
          ) : (
            <Empty>The AI chat module is not installed (Marketplace).</Empty>
          )
        }
      </Loaded>
    </Page>
  );
}

function AiForm(props: { installation: Installation; onSaved(): Promise<void> }) {
  const communityId = useCommunityId();
  const writable = useWritable();
  const [form, setForm] = useState(settingsOf(props.installation));
  useEffect(() => setForm(settingsOf(props.installation)), [props.installation]);
  const save = useAction();
  const toast = useToast();
  const set = <K extends keyof Settings>(k: K, v: Settings[K]) => setForm({ ...form, [k]: v });
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const path = { path: { communityId, module: "ai" } };
    // Mention replies came with version 1.1.0: saving moves an older installation onto the latest.
    const body = { settings: form, version: props.installation.latestVersion };
    if (!(await save.run(() => api.patch("/api/v1/communities/{communityId}/installations/{module}", path, body))))
      return;
    toast("AI settings saved");
    await props.onSaved();
  };
  const number = (key: "dailyTokens" | "userCooldownSec", label: string, hint: string) => (
    <Field label={label} path={`settings.${key}`} issues={save.issues} hint={hint}>
      {(p) => (
        <input
          {...p}
          type="number"
          disabled={!writable}
          value={Number.isNaN(form[key]) ? "" : form[key]}
          onChange={(e) => set(key, num(e.target.value))}
        />
      )}
    </Field>
  );
  return (
    <form className="card form" onSubmit={submit} aria-label="AI settings" noValidate>
      <Field
        label="System prompt"
        path="settings.systemPrompt"
        className="full"
        issues={save.issues}
        max={1000}
        value={form.systemPrompt}
      >
        {(p) => (
          <textarea
            {...p}
            disabled={!writable}
            value={form.systemPrompt}
            onChange={(e) => set("systemPrompt", e.target.value)}
          />
        )}
      </Field>
      <div className="field full">
        <label>
          <input
            type="checkbox"
            disabled={!writable}
            checked={form.mentionReplies}
            onChange={(e) => set("mentionReplies", e.target.checked)}
          />{" "}
          Answer when the bot is mentioned (@{form.botName || "name"}, or "{form.botName || "name"}," opening a line)
        </label>
      </div>
      <Field label="The bot's name in chat" path="settings.botName" issues={save.issues} max={32} value={form.botName}>
        {(p) => (
          <input {...p} disabled={!writable} value={form.botName} onChange={(e) => set("botName", e.target.value)} />
        )}
      </Field>
      {number("userCooldownSec", "Seconds between one person's questions", "0 to 3600")}
      {number(
        "dailyTokens",
        "Tokens per day for the community",
        "100 to 1,000,000; the AI stops for the day at the budget",
      )}
      <FormError error={save.error} issues={save.issues} fields={FIELDS} />
      {writable && (
        <div className="buttons">
          <button type="submit" disabled={save.busy}>
            Save AI settings
          </button>
        </div>
      )}
    </form>
  );
}
