import type { ReactNode } from "react";
import { api, type Schemas } from "../api/client.ts";
import { useToast } from "../components/toast.tsx";
import { Loaded, useAction, useAsync } from "../components/ui.tsx";
import { useSession } from "../session.ts";

const NAMES = { discord: "Discord", twitch: "Twitch", slack: "Slack" } as const;
type Platform = Schemas["GettingStarted"]["platforms"][number];

/** "Connected" only when the bot has heard a live event; "linked" says the server/channel is set. */
function platformState(p: Platform): string {
  if (p.lastEventAt) return `connected — last event ${new Date(p.lastEventAt).toLocaleString()}`;
  return p.linked ? "linked, but no event received yet" : "not connected";
}

const Item = (props: { done: boolean; id: string; children: ReactNode }) => (
  <li className={props.done ? "done" : "todo"} data-step={props.id} data-done={String(props.done)}>
    <span className="mark" aria-hidden="true">
      {props.done ? "✓" : "○"}
    </span>
    <span>
      <span className="visually-hidden">{props.done ? "Done: " : "To do: "}</span>
      {props.children}
    </span>
  </li>
);

/** The dashboard's checklist: each item's state comes from the API's real signals, never a tick box. */
export function GettingStarted({ communityId }: { communityId: string }) {
  const session = useSession();
  const state = useAsync(
    () => api.get("/api/v1/communities/{communityId}/getting-started", { path: { communityId } }),
    [communityId],
  );
  const reset = useAction();
  const toast = useToast();
  const email = session.me.user.email;
  const sendReset = async () => {
    if (!email) return;
    const done = await reset.run(async () => {
      await api.post("/api/v1/auth/password-reset/request", undefined, { email });
      return true;
    });
    if (done) toast(`A link to choose your password is on its way to ${email}`);
  };
  return (
    <section className="card" aria-labelledby="start-title">
      <h2 id="start-title">Getting started</h2>
      <Loaded state={state}>
        {(s) => {
          const heard = s.platforms.some((p) => p.lastEventAt);
          return (
            <ul className="checklist">
              <Item id="password" done={s.passwordChanged}>
                Choose your own password.{" "}
                {!s.passwordChanged && email && (
                  <button type="button" className="link" onClick={() => void sendReset()} disabled={reset.busy}>
                    Email me a link
                  </button>
                )}
              </Item>
              <Item id="platform" done={heard}>
                Connect a platform and receive an event: say something in chat.
                <ul className="platform-states">
                  {s.platforms.map((p) => (
                    <li key={p.platform} data-platform-state={p.platform}>
                      <strong>{NAMES[p.platform]}</strong>: {platformState(p)}
                    </li>
                  ))}
                </ul>
              </Item>
              <Item id="command" done={s.firstCommand}>
                Make your first command on the <a href="#/commands">Commands</a> page.
              </Item>
              <Item id="overlay" done={s.overlayConnected}>
                Add an overlay to OBS: paste a URL from <a href="#/overlays">Overlays</a> into a Browser source.
              </Item>
              <Item id="moderator" done={s.moderatorInvited}>
                Invite a moderator on the <a href="#/members">Members</a> page.
              </Item>
            </ul>
          );
        }}
      </Loaded>
    </section>
  );
}
