import { type FormEvent, useState } from "react";
import { api } from "../../api/client.ts";
import { Field, FormError, num } from "../../components/field.tsx";
import { DataTable } from "../../components/table.tsx";
import { useToast } from "../../components/toast.tsx";
import { Empty, Loaded, Page, useAction } from "../../components/ui.tsx";
import { ModuleLinks, useModuleContent, useWritable } from "./shared.tsx";

/**
 * The giveaways module: admins start one (people enter by typing the keyword in chat), draw a
 * winner (a fair weighted pick) and re-draw; every giveaway with its winners stays listed.
 */
export default function Giveaways() {
  const { communityId, content } = useModuleContent();
  const writable = useWritable();
  const start = useAction();
  const draw = useAction();
  const toast = useToast();
  const [form, setForm] = useState({ keyword: "", minutes: 5, subscriberLuck: 1 });
  const path = { path: { communityId } };
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const done = await start.run(() => api.post("/api/v1/communities/{communityId}/first-party/giveaways", path, form));
    if (done) toast(done.message);
    await content.reload();
  };
  const pick = async (redraw: boolean) => {
    const done = await draw.run(() =>
      api.post("/api/v1/communities/{communityId}/first-party/giveaways/draw", path, { redraw }),
    );
    if (done) toast(done.message);
    await content.reload();
  };
  const numberField = (key: "minutes" | "subscriberLuck", label: string, max: number) => (
    <Field label={label} path={key} issues={start.issues}>
      {(p) => (
        <input
          {...p}
          type="number"
          min={1}
          max={max}
          value={Number.isNaN(form[key]) ? "" : form[key]}
          onChange={(e) => setForm({ ...form, [key]: num(e.target.value) })}
        />
      )}
    </Field>
  );
  return (
    <Page title="Giveaways">
      <ModuleLinks current="module-giveaways" />
      {writable && (
        <>
          <form className="card form" onSubmit={submit} aria-label="Start a giveaway" noValidate>
            <h2>Start a giveaway</h2>
            <Field label="Keyword people type to enter" path="keyword" issues={start.issues} hint="1-32 of a-z 0-9 _ -">
              {(p) => (
                <input {...p} value={form.keyword} onChange={(e) => setForm({ ...form, keyword: e.target.value })} />
              )}
            </Field>
            {numberField("minutes", "Open for (minutes)", 1440)}
            {numberField("subscriberLuck", "Entries a subscriber gets", 10)}
            <FormError error={start.error} issues={start.issues} fields={["keyword", "minutes", "subscriberLuck"]} />
            <div className="buttons">
              <button type="submit" disabled={start.busy}>
                Start giveaway
              </button>
            </div>
          </form>
          <section className="card" aria-labelledby="draw-title">
            <h2 id="draw-title">Draw the latest giveaway</h2>
            <FormError error={draw.error} />
            <div className="buttons">
              <button type="button" disabled={draw.busy} onClick={() => void pick(false)}>
                Draw a winner
              </button>
              <button type="button" className="secondary" disabled={draw.busy} onClick={() => void pick(true)}>
                Re-draw another winner
              </button>
            </div>
          </section>
        </>
      )}
      <section className="card" aria-labelledby="history-title">
        <h2 id="history-title">History</h2>
        <Loaded state={content}>
          {(data) =>
            data.giveaways.length === 0 ? (
              <Empty>No giveaways yet.</Empty>
            ) : (
              <DataTable
                caption="Giveaways, newest first"
                rows={data.giveaways}
                rowKey={(g) => g.id}
                rowProps={(g) => ({ "data-giveaway": g.keyword })}
                columns={[
                  { label: "Keyword", cell: (g) => <code>{g.keyword}</code> },
                  { label: "Status", cell: (g) => g.status },
                  { label: "Entries", cell: (g) => g.entries },
                  { label: "Winners", cell: (g) => g.winners.join(", ") || "—", wrap: true },
                ]}
              />
            )
          }
        </Loaded>
      </section>
    </Page>
  );
}
