import { type FormEvent, useState } from "react";
import { api } from "../../api/client.ts";
import { Field, FormError, num } from "../../components/field.tsx";
import { DataTable } from "../../components/table.tsx";
import { useToast } from "../../components/toast.tsx";
import { Empty, Loaded, Page, useAction } from "../../components/ui.tsx";
import { LabelChips, ModuleLinks, useModuleContent, useWritable } from "./shared.tsx";

const PLATFORMS = ["twitch", "discord", "slack"] as const;
/** `twitch:ada` → "ada (twitch)"; the community's own stock by its name. */
const ownerName = (owner: string) =>
  owner === "community" ? "The community" : `${owner.slice(owner.indexOf(":") + 1)} (${owner.split(":")[0]})`;

/** The inventory module (!inv): what each person holds; admins add or take items away. */
export default function Inventory() {
  const { communityId, content } = useModuleContent();
  const writable = useWritable();
  const action = useAction();
  const toast = useToast();
  const [form, setForm] = useState({ platform: "twitch" as string, username: "", item: "", quantity: 1 });
  const change = async (e: FormEvent, sign: 1 | -1) => {
    e.preventDefault();
    const owner =
      form.platform === "community" ? "community" : `${form.platform}:${form.username.trim().replace(/^@/, "")}`;
    const body = { owner, item: form.item, quantity: sign * form.quantity };
    const done = await action.run(() =>
      api.post("/api/v1/communities/{communityId}/first-party/inventory", { path: { communityId } }, body),
    );
    if (done) toast(done.message);
    await content.reload();
  };
  const fields = ["owner", "item", "quantity"];
  return (
    <Page title="Inventory">
      <ModuleLinks current="module-inventory" />
      <Loaded state={content}>
        {(data) =>
          data.inventory.length === 0 ? (
            <Empty>Nobody holds anything yet: a moderator gives items with !inv add sword 2 @user.</Empty>
          ) : (
            <div className="card">
              <DataTable
                caption="Items per person"
                rows={data.inventory}
                rowKey={(r) => `${r.owner}/${r.item}`}
                rowProps={(r) => ({ "data-item": `${r.owner}/${r.item}` })}
                columns={[
                  { label: "Who", cell: (r) => ownerName(r.owner), wrap: true },
                  { label: "Item", cell: (r) => r.item },
                  { label: "How many", cell: (r) => r.quantity },
                  { label: "Item labels", cell: (r) => <LabelChips names={r.labels} of={`item ${r.item}`} /> },
                ]}
              />
            </div>
          )
        }
      </Loaded>
      {writable && (
        <form className="card form" onSubmit={(e) => change(e, 1)} aria-label="Add or take items" noValidate>
          <h2>Add or take items</h2>
          <Field label="Platform" path="platform">
            {(p) => (
              <select {...p} value={form.platform} onChange={(e) => setForm({ ...form, platform: e.target.value })}>
                {PLATFORMS.map((x) => (
                  <option key={x} value={x}>
                    {x}
                  </option>
                ))}
                <option value="community">the community's own stock</option>
              </select>
            )}
          </Field>
          {form.platform !== "community" && (
            <Field label="Username" path="owner" issues={action.issues}>
              {(p) => (
                <input {...p} value={form.username} onChange={(e) => setForm({ ...form, username: e.target.value })} />
              )}
            </Field>
          )}
          <Field label="Item" path="item" issues={action.issues} hint="1-32 of a-z 0-9 _ -">
            {(p) => <input {...p} value={form.item} onChange={(e) => setForm({ ...form, item: e.target.value })} />}
          </Field>
          <Field label="How many" path="quantity" issues={action.issues}>
            {(p) => (
              <input
                {...p}
                type="number"
                min={1}
                value={Number.isNaN(form.quantity) ? "" : form.quantity}
                onChange={(e) => setForm({ ...form, quantity: num(e.target.value) })}
              />
            )}
          </Field>
          <FormError error={action.error} issues={action.issues} fields={fields} />
          <div className="buttons">
            <button type="submit" disabled={action.busy}>
              Add items
            </button>
            <button type="button" className="secondary" disabled={action.busy} onClick={(e) => change(e, -1)}>
              Take items away
            </button>
          </div>
        </form>
      )}
    </Page>
  );
}
