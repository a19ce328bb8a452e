import { type FormEvent, useState } from "react";
import { api, type Schemas } from "../../api/client.ts";
import { useConfirm } from "../../components/confirm.tsx";
import { Field, FormError } from "../../components/field.tsx";
import { DataTable } from "../../components/table.tsx";
import { useToast } from "../../components/toast.tsx";
import { CopyButton, Empty, ErrorBox, Loaded, useAction, useAsync } from "../../components/ui.tsx";

type Hook = Schemas["WorkflowWebhook"];
type Created = Hook & { token: string; secret: string };

/** Shown once: the URL to call and the secret that signs each call. */
function Fresh({ hook, onDone }: { hook: Created; onDone(): void }) {
  return (
    <div className="card notice" role="status" data-testid="new-webhook">
      <p>Copy the secret now — it is shown only once. Sign each call with it:</p>
      <p className="muted">
        <code>X-WaddleBot-Timestamp</code>: the Unix time; <code>X-WaddleBot-Signature</code>: <code>sha256=</code>{" "}
        HMAC-SHA256(secret, timestamp + "." + body), hex.
      </p>
      <label>
        URL <input className="url" readOnly value={hook.url} onFocus={(e) => e.target.select()} />
      </label>
      <label>
        Secret <input className="url" readOnly value={hook.secret} onFocus={(e) => e.target.select()} />
      </label>
      <div className="buttons">
        <CopyButton text={hook.url} label="Copy URL" />
        <CopyButton text={hook.secret} label="Copy secret" />
        <button type="button" className="secondary" onClick={onDone}>
          Done
        </button>
      </div>
    </div>
  );
}

/** A workflow's incoming webhooks: create (URL and secret shown once), list with their use, delete. */
export function Webhooks(props: { communityId: string; workflowId: string; writable: boolean }) {
  const path = { communityId: props.communityId, workflowId: props.workflowId };
  const hooks = useAsync(
    () => api.get("/api/v1/communities/{communityId}/workflows/{workflowId}/webhooks", { path }),
    [props.communityId, props.workflowId],
  );
  const [ips, setIps] = useState("");
  const [rate, setRate] = useState("60");
  const [fresh, setFresh] = useState<Created | null>(null);
  const create = useAction();
  const act = useAction();
  const toast = useToast();
  const { confirm, dialog } = useConfirm();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const allowedIps = ips
      .split(/[\s,]+/)
      .map((s) => s.trim())
      .filter(Boolean);
    const made = await create.run(() =>
      api.post(
        "/api/v1/communities/{communityId}/workflows/{workflowId}/webhooks",
        { path },
        { allowedIps, ratePerMinute: Number(rate) },
      ),
    );
    if (made) {
      setFresh(made as Created);
      setIps("");
      await hooks.reload();
    }
  };
  const remove = async (h: Hook) => {
    const ok = await confirm({
      title: "Delete this webhook?",
      body: "Its URL stops working at once.",
      confirmLabel: "Delete",
      danger: true,
    });
    if (!ok) return;
    const done = await act.run(async () => {
      await api.delete("/api/v1/communities/{communityId}/workflows/{workflowId}/webhooks/{webhookId}", {
        path: { ...path, webhookId: h.id },
      });
      return true;
    });
    if (done) toast("Webhook deleted");
    await hooks.reload();
  };
  return (
    <section className="wf-webhooks" aria-labelledby="wf-webhooks-title">
      <h2 id="wf-webhooks-title">Webhooks</h2>
      <p className="muted">A signed POST to a webhook's URL runs the published version, its body as trigger data.</p>
      {props.writable && (
        <form className="inline" onSubmit={submit}>
          <Field
            label="Allowed IPs (optional)"
            path="allowedIps"
            issues={create.issues}
            hint="Addresses or CIDR ranges"
          >
            {(c) => <input {...c} value={ips} onChange={(e) => setIps(e.target.value)} placeholder="203.0.113.0/24" />}
          </Field>
          <Field label="Calls per minute" path="ratePerMinute" issues={create.issues}>
            {(c) => (
              <input {...c} type="number" min={1} max={6000} value={rate} onChange={(e) => setRate(e.target.value)} />
            )}
          </Field>
          <button type="submit" disabled={create.busy}>
            Create webhook
          </button>
          <FormError error={create.error} issues={create.issues} fields={["allowedIps", "ratePerMinute"]} />
        </form>
      )}
      {fresh && <Fresh hook={fresh} onDone={() => setFresh(null)} />}
      <ErrorBox message={act.error} />
      {dialog}
      <Loaded state={hooks}>
        {(list) =>
          list.length === 0 ? (
            <Empty>No webhooks yet.</Empty>
          ) : (
            <DataTable
              caption="This workflow's webhooks"
              rows={list}
              rowKey={(h) => h.id}
              rowProps={(h) => ({ "data-webhook": h.id })}
              columns={[
                { label: "URL", wrap: true, cell: (h) => <code>{h.url}</code> },
                { label: "Triggered", cell: (h) => <span data-count>{h.triggerCount}</span> },
                {
                  label: "Last triggered",
                  cell: (h) => (h.lastTriggeredAt ? new Date(h.lastTriggeredAt).toLocaleString() : "never"),
                },
                {
                  label: "Allowed IPs",
                  wrap: true,
                  cell: (h) => (h.allowedIps.length ? h.allowedIps.join(", ") : "any"),
                },
                { label: "Per minute", cell: (h) => h.ratePerMinute },
                ...(props.writable
                  ? [
                      {
                        label: "Actions",
                        actions: true,
                        cell: (h: Hook) => (
                          <button type="button" className="danger" onClick={() => void remove(h)}>
                            Delete<span className="visually-hidden"> webhook {h.url}</span>
                          </button>
                        ),
                      },
                    ]
                  : []),
              ]}
            />
          )
        }
      </Loaded>
    </section>
  );
}
