import { useState } from "react";
import { api, type Schemas } from "../api/client.ts";
import { Empty, ErrorBox, Loaded, Page, RowActions, useAction, useAsync } from "../components/ui.tsx";
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

  const del = async (c: Command) => {
    if (!window.confirm(`Delete !${c.name}?`)) return;
    await remove.run(() =>
      api.delete("/api/v1/communities/{communityId}/commands/{commandId}", { path: { communityId, commandId: c.id } }),
    );
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
            <div className="table-wrap">
              <table>
                <thead>
                  <tr>
                    <th scope="col">Command</th>
                    <th scope="col">Response</th>
                    <th scope="col">Level</th>
                    <th scope="col">Cooldowns</th>
                    <th scope="col">Uses</th>
                    {writable && <th scope="col">Actions</th>}
                  </tr>
                </thead>
                <tbody>
                  {shown.map((c) => (
                    <tr key={c.id} data-command={c.name}>
                      <td>
                        <code>
                          {c.prefix}
                          {c.name}
                        </code>
                        {!c.enabled && <span className="badge">off</span>}
                      </td>
                      <td className="wrap">{c.response ?? <span className="muted">{c.kind}</span>}</td>
                      <td>{c.minLevel}</td>
                      <td>
                        {c.userCooldownSec}s user · {c.globalCooldownSec}s all
                      </td>
                      <td>{c.useCount}</td>
                      {writable && (
                        <RowActions
                          name={c.name}
                          first={["Edit", () => setEditing(c)]}
                          second={["Delete", () => void del(c)]}
                        />
                      )}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          );
        }}
      </Loaded>
      {can(session, "simulate:run") && <TryIt communityId={communityId} onRan={list.reload} />}
    </Page>
  );
}
