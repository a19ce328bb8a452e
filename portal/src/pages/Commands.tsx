import { useState } from "react";
import { api, type Schemas } from "../api/client.ts";
import { useConfirm } from "../components/confirm.tsx";
import { DataTable } from "../components/table.tsx";
import { useToast } from "../components/toast.tsx";
import { Empty, ErrorBox, Loaded, Page, RowButtons, useAction, useAsync } from "../components/ui.tsx";
import { can, useCommunityId, useSession } from "../session.ts";
import { CommandForm } from "./CommandForm.tsx";
import { TryIt } from "./TryIt.tsx";

type Command = Schemas["Command"];

/** Custom commands: search, create, edit, delete; and a panel to try the bot. */
export default function Commands() {
  const session = useSession();
  const communityId = useCommunityId();
  const writable = can(session, "commands:write");
  const list = useAsync(
    () => api.get("/api/v1/communities/{communityId}/commands", { path: { communityId } }),
    [communityId],
  );
  const [query, setQuery] = useState("");
  const [editing, setEditing] = useState<Command | "new" | null>(null);
  const remove = useAction();
  const toast = useToast();
  const { confirm, dialog } = useConfirm();

  const del = async (c: Command) => {
    const ok = await confirm({
      title: `Delete !${c.name}?`,
      body: "The command stops answering at once. This cannot be undone.",
      confirmLabel: "Delete",
      danger: true,
    });
    if (!ok) return;
    const done = await remove.run(async () => {
      await api.delete("/api/v1/communities/{communityId}/commands/{commandId}", {
        path: { communityId, commandId: c.id },
      });
      return true;
    });
    if (done) toast(`Deleted !${c.name}`);
    await list.reload();
  };

  return (
    <Page
      title="Commands"
      actions={
        writable && (
          <button type="button" onClick={() => setEditing("new")}>
            New command
          </button>
        )
      }
    >
      {editing && (
        <CommandForm
          communityId={communityId}
          command={editing === "new" ? null : editing}
          onDone={async () => {
            setEditing(null);
            await list.reload();
          }}
          onCancel={() => setEditing(null)}
        />
      )}
      <label className="search">
        Search
        <input type="search" value={query} onChange={(e) => setQuery(e.target.value)} placeholder="name or text" />
      </label>
      <ErrorBox message={remove.error} />
      <Loaded state={list}>
        {(commands) => {
          const q = query.trim().toLowerCase();
          const shown = commands.filter(
            (c) =>
              !q ||
              c.name.includes(q) ||
              (c.response ?? "").toLowerCase().includes(q) ||
              c.description.toLowerCase().includes(q),
          );
          if (commands.length === 0)
            return (
              <Empty>
                No custom commands yet.{writable && " Create one with “New command”."} Built-ins (!ping, !help,
                !commands, !uptime) always work.
              </Empty>
            );
          if (shown.length === 0) return <Empty>No command matches “{query}”.</Empty>;
          return (
            <DataTable
              caption="Custom commands"
              rows={shown}
              rowKey={(c) => c.id}
              rowProps={(c) => ({ "data-command": c.name })}
              columns={[
                {
                  label: "Command",
                  cell: (c) => (
                    <>
                      <code>
                        {c.prefix}
                        {c.name}
                      </code>
                      {!c.enabled && <span className="badge">off</span>}
                    </>
                  ),
                },
                { label: "Response", wrap: true, cell: (c) => c.response ?? <span className="muted">{c.kind}</span> },
                { label: "Level", cell: (c) => c.minLevel },
                { label: "Cooldowns", cell: (c) => `${c.userCooldownSec}s user · ${c.globalCooldownSec}s all` },
                { label: "Uses", cell: (c) => c.useCount },
                writable && {
                  label: "Actions",
                  actions: true,
                  cell: (c) => (
                    <RowButtons
                      name={c.name}
                      first={["Edit", () => setEditing(c)]}
                      second={["Delete", () => void del(c)]}
                    />
                  ),
                },
              ]}
            />
          );
        }}
      </Loaded>
      {dialog}
      {can(session, "simulate:run") && <TryIt communityId={communityId} onRan={list.reload} />}
    </Page>
  );
}
