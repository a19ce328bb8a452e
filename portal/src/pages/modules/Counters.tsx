import { type FormEvent, useState } from "react";
import { api } from "../../api/client.ts";
import { Field, FormError, num } from "../../components/field.tsx";
import { DataTable } from "../../components/table.tsx";
import { useToast } from "../../components/toast.tsx";
import { Empty, ErrorBox, Loaded, Page, useAction } from "../../components/ui.tsx";
import { ModuleLinks, useModuleContent, useWritable } from "./shared.tsx";

/** The counters module (!deaths +1): every counter's value; admins set or reset one. */
export default function Counters() {
  const { communityId, content } = useModuleContent();
  const writable = useWritable();
  const action = useAction();
  const toast = useToast();
  const [form, setForm] = useState({ name: "", value: Number.NaN });
  const set = async (name: string, value: number) => {
    const done = await action.run(() =>
      api.put(
        "/api/v1/communities/{communityId}/first-party/counters/{name}",
        { path: { communityId, name } },
        { value },
      ),
    );
    if (done) toast(`${name} is ${value}`);
    await content.reload();
    return done;
  };
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (await set(form.name.trim().toLowerCase() || "-", form.value)) setForm({ name: "", value: Number.NaN });
  };
  return (
    <Page title="Counters">
      <ModuleLinks current="module-counters" />
      <p className="muted">Chat reads them with !name (e.g. !deaths) and commands with {"{counter:name}"}.</p>
      <ErrorBox message={action.error && !action.issues.length ? action.error : null} />
      <Loaded state={content}>
        {(data) =>
          data.counters.length === 0 ? (
            <Empty>No counters yet: !deaths +1 in chat starts one.</Empty>
          ) : (
            <div className="card">
              <DataTable
                caption="Counters"
                rows={data.counters}
                rowKey={(c) => c.name}
                rowProps={(c) => ({ "data-counter": c.name })}
                columns={[
                  { label: "Counter", cell: (c) => <code>{c.name}</code> },
                  { label: "Value", cell: (c) => c.value },
                  writable && {
                    label: "Actions",
                    actions: true,
                    cell: (c) => (
                      <>
                        <button type="button" className="secondary" onClick={() => void set(c.name, c.value + 1)}>
                          +1<span className="visually-hidden"> {c.name}</span>
                        </button>
                        <button type="button" className="danger" onClick={() => void set(c.name, 0)}>
                          Reset<span className="visually-hidden"> {c.name}</span>
                        </button>
                      </>
                    ),
                  },
                ]}
              />
            </div>
          )
        }
      </Loaded>
      {writable && (
        <form className="card form" onSubmit={submit} aria-label="Set a counter" noValidate>
          <h2>Set a counter</h2>
          <Field label="Name" path="name" issues={action.issues} hint="1-32 of a-z 0-9 _ -">
            {(p) => <input {...p} value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} />}
          </Field>
          <Field label="Value" path="value" issues={action.issues}>
            {(p) => (
              <input
                {...p}
                type="number"
                value={Number.isNaN(form.value) ? "" : form.value}
                onChange={(e) => setForm({ ...form, value: num(e.target.value) })}
              />
            )}
          </Field>
          <FormError
            error={action.issues.length ? action.error : null}
            issues={action.issues}
            fields={["name", "value"]}
          />
          <div className="buttons">
            <button type="submit" disabled={action.busy}>
              Set counter
            </button>
          </div>
        </form>
      )}
    </Page>
  );
}
