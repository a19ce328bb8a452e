import { type FormEvent, useEffect, useState } from "react";
import { api } from "../../api/client.ts";
import { Field, FormError } from "../../components/field.tsx";
import { DataTable } from "../../components/table.tsx";
import { useToast } from "../../components/toast.tsx";
import { Empty, Loaded, Page, useAction } from "../../components/ui.tsx";
import { useCommunityId } from "../../session.ts";
import { ModuleLinks, useInstallation, useModuleContent, useWritable } from "./shared.tsx";

/** The loyalty module: the points leaderboard (linked identities merged) and the currency's name. */
export default function Loyalty() {
  const { content } = useModuleContent();
  const installation = useInstallation("loyalty");
  const currency = String(installation.data?.settings.currency ?? "points");
  return (
    <Page title="Loyalty">
      <ModuleLinks current="module-loyalty" />
      <section className="card" aria-labelledby="leaderboard-title">
        <h2 id="leaderboard-title">Leaderboard</h2>
        <Loaded state={content}>
          {(data) =>
            data.leaderboard.length === 0 ? (
              <Empty>Nobody has {currency} yet.</Empty>
            ) : (
              <DataTable
                caption={`Top 20 by ${currency}`}
                rows={data.leaderboard.map((r, i) => ({ ...r, rank: i + 1 }))}
                rowKey={(r) => String(r.rank)}
                columns={[
                  { label: "Rank", cell: (r) => r.rank },
                  { label: "Who", cell: (r) => r.name, wrap: true },
                  { label: currency.charAt(0).toUpperCase() + currency.slice(1), cell: (r) => r.points },
                ]}
              />
            )
          }
        </Loaded>
      </section>
      <Loaded state={installation}>
        {(inst) =>
          inst ? (
            <CurrencyForm current={currency} onSaved={installation.reload} />
          ) : (
            <Empty>The loyalty module is not installed (Marketplace).</Empty>
          )
        }
      </Loaded>
    </Page>
  );
}

function CurrencyForm(props: { current: string; onSaved(): Promise<void> }) {
  const communityId = useCommunityId();
  const writable = useWritable();
  const [name, setName] = useState(props.current);
  useEffect(() => setName(props.current), [props.current]);
  const save = useAction();
  const toast = useToast();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const path = { path: { communityId, module: "loyalty" } };
    const done = await save.run(() =>
      api.patch("/api/v1/communities/{communityId}/installations/{module}", path, { settings: { currency: name } }),
    );
    if (!done) return;
    toast("Currency name saved");
    await props.onSaved();
  };
  return (
    <form className="card form" onSubmit={submit} aria-label="Currency" noValidate>
      <Field label="Currency name" path="settings.currency" issues={save.issues} max={20} value={name}>
        {(p) => <input {...p} disabled={!writable} value={name} onChange={(e) => setName(e.target.value)} />}
      </Field>
      <FormError error={save.error} issues={save.issues} fields={["settings.currency"]} />
      {writable && (
        <div className="buttons">
          <button type="submit" disabled={save.busy}>
            Save currency
          </button>
        </div>
      )}
    </form>
  );
}
