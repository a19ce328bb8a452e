import { type FormEvent, useState } from "react";
import { api, type Schemas } from "../api/client.ts";
import { useConfirm } from "../components/confirm.tsx";
import { DataTable } from "../components/table.tsx";
import { useToast } from "../components/toast.tsx";
import { Empty, ErrorBox, Loaded, Page, RowButtons, useAction, useAsync } from "../components/ui.tsx";
import { can, useCommunityId, useSession } from "../session.ts";
import { RuleForm } from "./RuleForm.tsx";

type Rule = Schemas["ModerationRule"];

/** Moderation rules in the order they are checked, and a box to test a message against them. */
export default function Moderation() {
  const session = useSession();
  const communityId = useCommunityId();
  const writable = can(session, "moderation:write");
  const path = { communityId };
  const rules = useAsync(() => api.get("/api/v1/communities/{communityId}/moderation/rules", { path }), [communityId]);
  const [editing, setEditing] = useState<Rule | "new" | null>(null);
  const remove = useAction();
  const toast = useToast();
  const { confirm, dialog } = useConfirm();
  const del = async (r: Rule) => {
    const ok = await confirm({
      title: `Delete the rule “${r.name}”?`,
      body: "Messages are no longer checked against it.",
      confirmLabel: "Delete",
      danger: true,
    });
    if (!ok) return;
    const done = await remove.run(async () => {
      await api.delete("/api/v1/communities/{communityId}/moderation/rules/{ruleId}", {
        path: { communityId, ruleId: r.id },
      });
      return true;
    });
    if (done) toast(`Deleted the rule “${r.name}”`);
    await rules.reload();
  };
  return (
    <Page
      title="Moderation rules"
      actions={
        writable && (
          <button type="button" onClick={() => setEditing("new")}>
            New rule
          </button>
        )
      }
    >
      {editing && (
        <RuleForm
          communityId={communityId}
          rule={editing === "new" ? null : editing}
          onCancel={() => setEditing(null)}
          onDone={async () => {
            setEditing(null);
            await rules.reload();
          }}
        />
      )}
      <ErrorBox message={remove.error} />
      <Loaded state={rules}>
        {(list) =>
          list.length === 0 ? (
            <Empty>No moderation rules: every message goes through.</Empty>
          ) : (
            <DataTable
              caption="Moderation rules"
              rows={list}
              rowKey={(r) => r.id}
              rowProps={(r) => ({ "data-rule": r.name })}
              columns={[
                { label: "Priority", cell: (r) => r.priority },
                {
                  label: "Rule",
                  wrap: true,
                  cell: (r) => (
                    <>
                      {r.name} {!r.enabled && <span className="badge">off</span>}
                    </>
                  ),
                },
                {
                  label: "Matches",
                  wrap: true,
                  cell: (r) => (
                    <>
                      {r.matchType} {r.pattern && <code>{r.pattern}</code>}
                    </>
                  ),
                },
                {
                  label: "Action",
                  cell: (r) => (
                    <>
                      {r.action}
                      {r.escalation.length > 0 && (
                        <span className="muted">
                          {" "}
                          then {r.escalation.map((s) => `${s.strikes}×→${s.action}`).join(", ")}
                        </span>
                      )}
                    </>
                  ),
                },
                { label: "Exempt from", cell: (r) => r.exemptLevel },
                writable && {
                  label: "Actions",
                  actions: true,
                  cell: (r) => (
                    <RowButtons
                      name={r.name}
                      first={["Edit", () => setEditing(r)]}
                      second={["Delete", () => void del(r)]}
                    />
                  ),
                },
              ]}
            />
          )
        }
      </Loaded>
      {dialog}
      <RuleTester communityId={communityId} />
    </Page>
  );
}

function RuleTester({ communityId }: { communityId: string }) {
  const [text, setText] = useState("");
  const [result, setResult] = useState<Schemas["ModerationTestResult"] | null>(null);
  const test = useAction();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const out = await test.run(() =>
      api.post("/api/v1/communities/{communityId}/moderation/test", { path: { communityId } }, { text }),
    );
    if (out) setResult(out);
  };
  return (
    <section className="card" aria-labelledby="test-title">
      <h2 id="test-title">Test a message</h2>
      <form onSubmit={submit} className="inline">
        <label className="grow">
          Sample message
          <input name="sample" value={text} onChange={(e) => setText(e.target.value)} required />
        </label>
        <button type="submit" disabled={test.busy}>
          {test.busy ? "Testing…" : "Test"}
        </button>
      </form>
      <ErrorBox message={test.error} />
      {result && (
        <p data-testid="rule-test-result" aria-live="polite">
          {result.rule ? (
            <>
              Matches <strong>{result.rule.name}</strong> ({result.rule.matchType}) → {result.rule.action}
            </>
          ) : (
            "No rule matches: the message goes through."
          )}
          {result.skipped.map((s) => (
            <span key={s.id} className="muted">
              {" "}
              · {s.name} not checked: {s.reason}
            </span>
          ))}
        </p>
      )}
    </section>
  );
}
