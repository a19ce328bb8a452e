import { type FormEvent, useState } from "react";
import { api } from "../../api/client.ts";
import { useConfirm } from "../../components/confirm.tsx";
import { Field, FormError } from "../../components/field.tsx";
import { DataTable } from "../../components/table.tsx";
import { useToast } from "../../components/toast.tsx";
import { Empty, ErrorBox, Loaded, Page, RowButtons, useAction } from "../../components/ui.tsx";
import { LabelChips, ModuleLinks, useModuleContent, useWritable } from "./shared.tsx";

/** The memories module's quotes: chat adds them (!quote add); admins fix or delete them here. */
export default function Quotes() {
  const { communityId, content } = useModuleContent();
  const writable = useWritable();
  const [editing, setEditing] = useState<{ number: number; text: string } | null>(null);
  const action = useAction();
  const toast = useToast();
  const { confirm, dialog } = useConfirm();
  const path = (number: number) => ({ path: { communityId, number } });
  const remove = async (number: number) => {
    const yes = await confirm({
      title: `Delete quote #${number}?`,
      body: "Chat will no longer find it; the other quotes keep their numbers.",
      confirmLabel: "Delete",
      danger: true,
    });
    if (!yes) return;
    if (
      await action.run(() => api.delete("/api/v1/communities/{communityId}/first-party/quotes/{number}", path(number)))
    )
      toast(`Quote #${number} deleted`);
    await content.reload();
  };
  const save = async (e: FormEvent) => {
    e.preventDefault();
    if (!editing) return;
    const done = await action.run(() =>
      api.put("/api/v1/communities/{communityId}/first-party/quotes/{number}", path(editing.number), {
        text: editing.text,
      }),
    );
    if (!done) return;
    toast(`Quote #${editing.number} saved`);
    setEditing(null);
    await content.reload();
  };
  return (
    <Page title="Quotes">
      <ModuleLinks current="module-quotes" />
      {dialog}
      {!editing && <ErrorBox message={action.error} />}
      {editing && (
        <form className="card form" onSubmit={save} aria-label={`Edit quote ${editing.number}`} noValidate>
          <Field label={`Quote #${editing.number}`} path="text" issues={action.issues} max={300} value={editing.text}>
            {(p) => (
              <textarea
                {...p}
                value={editing.text}
                onChange={(e) => setEditing({ ...editing, text: e.target.value })}
              />
            )}
          </Field>
          <FormError error={action.error} issues={action.issues} fields={["text"]} />
          <div className="buttons">
            <button type="submit" disabled={action.busy}>
              {action.busy ? "Saving…" : "Save quote"}
            </button>
            <button type="button" className="secondary" onClick={() => setEditing(null)}>
              Cancel
            </button>
          </div>
        </form>
      )}
      <Loaded state={content}>
        {(data) =>
          data.quotes.length === 0 ? (
            <Empty>No quotes yet: chat adds them with !quote add.</Empty>
          ) : (
            <div className="card">
              <DataTable
                caption="Quotes"
                rows={data.quotes}
                rowKey={(q) => String(q.number)}
                rowProps={(q) => ({ "data-quote": String(q.number) })}
                columns={[
                  { label: "#", cell: (q) => q.number },
                  { label: "Quote", cell: (q) => q.text, wrap: true },
                  { label: "Labels", cell: (q) => <LabelChips names={q.labels} of={`quote ${q.number}`} /> },
                  { label: "Added by", cell: (q) => q.addedBy },
                  writable && {
                    label: "Actions",
                    actions: true,
                    cell: (q) => (
                      <RowButtons
                        name={`quote ${q.number}`}
                        first={["Edit", () => setEditing({ number: q.number, text: q.text })]}
                        second={["Delete", () => void remove(q.number)]}
                      />
                    ),
                  },
                ]}
              />
            </div>
          )
        }
      </Loaded>
    </Page>
  );
}
