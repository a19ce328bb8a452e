import { type FormEvent, useState } from "react";
import { api } from "../../api/client.ts";
import { useConfirm } from "../../components/confirm.tsx";
import { Field, FormError, num } from "../../components/field.tsx";
import { DataTable } from "../../components/table.tsx";
import { useToast } from "../../components/toast.tsx";
import { Empty, Loaded, Page, RowButtons, useAction } from "../../components/ui.tsx";
import { ModuleLinks, useModuleContent, useWritable } from "./shared.tsx";

const EMPTY = { name: "", platform: "twitch", channelId: "", message: "", intervalMin: 15, minLines: 5 };
type Form = typeof EMPTY;
const FIELDS = ["name", "platform", "channelId", "message", "intervalMin", "minLines"];

/** The timers module: a message every N minutes while live, after M chat lines, in one channel. */
export default function Timers() {
  const { communityId, content } = useModuleContent();
  const writable = useWritable();
  const action = useAction();
  const toast = useToast();
  const { confirm, dialog } = useConfirm();
  const [form, setForm] = useState<Form>(EMPTY);
  const [editing, setEditing] = useState(false);
  const set = <K extends keyof Form>(k: K, v: Form[K]) => setForm({ ...form, [k]: v });
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const { name, ...body } = form;
    const done = await action.run(() =>
      api.put(
        "/api/v1/communities/{communityId}/first-party/timers/{name}",
        { path: { communityId, name: name.trim().toLowerCase() || "-" } },
        { ...body, platform: body.platform as "twitch" },
      ),
    );
    if (!done) return;
    toast(`Timer ${name} saved`);
    setForm(EMPTY);
    setEditing(false);
    await content.reload();
  };
  const remove = async (name: string) => {
    if (
      !(await confirm({
        title: `Remove timer ${name}?`,
        body: "It stops posting.",
        confirmLabel: "Remove",
        danger: true,
      }))
    )
      return;
    const path = { path: { communityId, name } };
    if (await action.run(() => api.delete("/api/v1/communities/{communityId}/first-party/timers/{name}", path)))
      toast(`Timer ${name} removed`);
    await content.reload();
  };
  const number = (key: "intervalMin" | "minLines", label: string, min: number) => (
    <Field label={label} path={key} issues={action.issues}>
      {(p) => (
        <input
          {...p}
          type="number"
          min={min}
          value={Number.isNaN(form[key]) ? "" : form[key]}
          onChange={(e) => set(key, num(e.target.value))}
        />
      )}
    </Field>
  );
  return (
    <Page title="Timers">
      <ModuleLinks current="module-timers" />
      {dialog}
      <Loaded state={content}>
        {(data) =>
          data.timers.length === 0 ? (
            <Empty>No timers yet.</Empty>
          ) : (
            <div className="card">
              <DataTable
                caption="Timers"
                rows={data.timers}
                rowKey={(t) => t.name}
                rowProps={(t) => ({ "data-timer": t.name })}
                columns={[
                  { label: "Name", cell: (t) => <code>{t.name}</code> },
                  { label: "Where", cell: (t) => `${t.platform} ${t.channelId}`, wrap: true },
                  { label: "Every", cell: (t) => `${t.intervalMin} min, ${t.minLines} lines` },
                  { label: "Message", cell: (t) => t.message, wrap: true },
                  writable && {
                    label: "Actions",
                    actions: true,
                    cell: (t) => (
                      <RowButtons
                        name={`timer ${t.name}`}
                        first={[
                          "Edit",
                          () => {
                            setForm({ ...t });
                            setEditing(true);
                          },
                        ]}
                        second={["Remove", () => void remove(t.name)]}
                      />
                    ),
                  },
                ]}
              />
            </div>
          )
        }
      </Loaded>
      {writable && (
        <form className="card form" onSubmit={submit} aria-label={editing ? "Edit timer" : "Add a timer"} noValidate>
          <h2>{editing ? `Edit timer ${form.name}` : "Add a timer"}</h2>
          <Field label="Name" path="name" issues={action.issues} hint="1-32 of a-z 0-9 _ -">
            {(p) => <input {...p} readOnly={editing} value={form.name} onChange={(e) => set("name", e.target.value)} />}
          </Field>
          <Field label="Platform" path="platform" issues={action.issues}>
            {(p) => (
              <select {...p} value={form.platform} onChange={(e) => set("platform", e.target.value)}>
                <option value="twitch">Twitch</option>
                <option value="discord">Discord</option>
                <option value="slack">Slack</option>
              </select>
            )}
          </Field>
          <Field
            label="Channel id"
            path="channelId"
            issues={action.issues}
            hint="Twitch: the broadcaster id; Discord and Slack: the channel's id."
          >
            {(p) => <input {...p} value={form.channelId} onChange={(e) => set("channelId", e.target.value)} />}
          </Field>
          <Field label="Message" path="message" className="full" issues={action.issues} max={300} value={form.message}>
            {(p) => <textarea {...p} value={form.message} onChange={(e) => set("message", e.target.value)} />}
          </Field>
          {number("intervalMin", "Every (minutes, 1-1440)", 1)}
          {number("minLines", "After at least (chat lines)", 0)}
          <FormError error={action.error} issues={action.issues} fields={FIELDS} />
          <div className="buttons">
            <button type="submit" disabled={action.busy}>
              {editing ? "Save timer" : "Add timer"}
            </button>
            {editing && (
              <button
                type="button"
                className="secondary"
                onClick={() => {
                  setForm(EMPTY);
                  setEditing(false);
                }}
              >
                Cancel
              </button>
            )}
          </div>
        </form>
      )}
    </Page>
  );
}
