import { type FormEvent, useState } from "react";
import { api, type Schemas } from "../api/client.ts";
import { ErrorBox, Loaded, Page, useAction, useAsync } from "../components/ui.tsx";
import { can, useCommunityId, useSession } from "../session.ts";
import { TwitchBot } from "./TwitchBot.tsx";

const WHAT = {
  discord: "Discord server",
  twitch: "Twitch channel",
  slack: "Slack workspace",
} as const;

const STATUS_WORDS: Record<string, string> = {
  active: "connected",
  revoked: "access revoked",
  error: "failing",
  linked: "linked without OAuth (demo)",
  not_connected: "not connected",
};

type Platform = keyof typeof WHAT;
type Connection = Schemas["Connection"];

/** What the OAuth callback said when it sent the browser back here (#/platforms?connected=…&error=…). */
function callbackResult(): { connected?: string; error?: string; warning?: string } {
  const q = new URLSearchParams(window.location.hash.split("?")[1] ?? "");
  return {
    connected: q.get("connected") ?? undefined,
    error: q.get("error") ? `${q.get("connect") ?? "Connecting"}: ${q.get("error")}` : undefined,
    warning: q.get("warning") ?? undefined,
  };
}

const when = (iso: string | null) => (iso ? new Date(iso).toLocaleString() : "never");

/**
 * The connect page: each platform's real status (from the stored grant), the scopes granted and
 * what a missing one breaks, the last event seen, connect / disconnect / send a test message.
 */
export default function Platforms() {
  const session = useSession();
  const communityId = useCommunityId();
  const writable = can(session, "platforms:write");
  const list = useAsync(
    () => api.get("/api/v1/communities/{communityId}/connections", { path: { communityId } }),
    [communityId],
  );
  const action = useAction();
  const [result] = useState(callbackResult);
  const [notice, setNotice] = useState<string | null>(null);

  const start = async (platform: Platform) => {
    const out = await action.run(() =>
      api.post("/api/v1/communities/{communityId}/connections/{platform}", { path: { communityId, platform } }),
    );
    if (out) window.location.assign(out.authorizeUrl);
  };
  const disconnect = async (platform: Platform) => {
    if (!window.confirm(`Disconnect ${WHAT[platform]}? WaddleBot's access is revoked and it stops answering there.`))
      return;
    const out = await action.run(() =>
      api.delete("/api/v1/communities/{communityId}/connections/{platform}", { path: { communityId, platform } }),
    );
    if (out) {
      setNotice(`${WHAT[platform]} disconnected.`);
      await list.reload();
    }
  };

  return (
    <Page title="Platforms">
      {result.connected && !result.error && (
        <p className="notice" role="status">
          Connected {result.connected}.
        </p>
      )}
      <ErrorBox message={result.error} />
      {result.warning && <p className="warning">{result.warning}</p>}
      {notice && (
        <p className="notice" role="status">
          {notice}
        </p>
      )}
      <ErrorBox message={action.error} />
      {session.me.user.globalRole === "admin" && <TwitchBot />}
      <Loaded state={list}>
        {(connections) => (
          <ul className="platforms">
            {connections.map((c) => (
              <PlatformCard
                key={c.platform}
                c={c}
                writable={writable}
                busy={action.busy}
                onConnect={() => start(c.platform)}
                onDisconnect={() => disconnect(c.platform)}
              />
            ))}
          </ul>
        )}
      </Loaded>
    </Page>
  );
}

function PlatformCard(props: {
  c: Connection;
  writable: boolean;
  busy: boolean;
  onConnect: () => void;
  onDisconnect: () => void;
}) {
  const { c } = props;
  const connected = c.source === "oauth";
  return (
    <li className={`card platform-${c.platform}`} data-platform={c.platform}>
      <h2>{WHAT[c.platform]}</h2>
      {c.accountId ? (
        <p>
          {c.accountName ?? "(no name)"} <code>{c.accountId}</code>
          {c.accountLogin && <span className="muted"> ({c.accountLogin})</span>}
        </p>
      ) : (
        <p className="muted">Not connected.</p>
      )}
      <p>
        Status: <span className={`badge status-${c.status}`}>{STATUS_WORDS[c.status] ?? c.status}</span>
      </p>
      {connected && (
        <>
          <p>
            Last event seen: <span data-field="last-event">{when(c.lastEventAt)}</span>
          </p>
          <p className="scopes">
            Granted:{" "}
            {c.scopes.length ? c.scopes.map((s) => <code key={s}>{s} </code>) : <span className="muted">none</span>}
          </p>
          {c.subscriptions.length > 0 && (
            <p>
              EventSub:{" "}
              {c.subscriptions.map((s) => (
                <span key={s.type} className={`badge status-${s.status}`}>
                  {s.type} {s.status}{" "}
                </span>
              ))}
            </p>
          )}
        </>
      )}
      {c.problems.length > 0 && (
        <ul className="problems" aria-label={`${c.platform} problems`}>
          {c.problems.map((p) => (
            <li key={p}>{p}</li>
          ))}
        </ul>
      )}
      {props.writable && (
        <div className="buttons">
          <button type="button" disabled={props.busy} onClick={props.onConnect}>
            {connected ? "Reconnect" : "Connect"}
          </button>
          {connected && (
            <button type="button" className="secondary" disabled={props.busy} onClick={props.onDisconnect}>
              Disconnect
            </button>
          )}
        </div>
      )}
      {props.writable && connected && c.status === "active" && <TestMessage platform={c.platform} />}
    </li>
  );
}

function TestMessage({ platform }: { platform: Platform }) {
  const communityId = useCommunityId();
  const send = useAction();
  const [channelId, setChannelId] = useState("");
  const [sent, setSent] = useState(false);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setSent(false);
    const body = platform === "twitch" ? {} : { channelId };
    const out = await send.run(() =>
      api.post(
        "/api/v1/communities/{communityId}/connections/{platform}/test",
        { path: { communityId, platform } },
        body,
      ),
    );
    if (out) setSent(true);
  };
  return (
    <form className="test-message" onSubmit={submit}>
      {platform !== "twitch" && (
        <label>
          Channel id
          <input
            value={channelId}
            onChange={(e) => setChannelId(e.target.value)}
            required
            pattern="[A-Za-z0-9_-]{1,64}"
          />
        </label>
      )}
      <button type="submit" className="secondary" disabled={send.busy}>
        Send test message
      </button>
      {sent && <span role="status"> Sent.</span>}
      <ErrorBox message={send.error} />
    </form>
  );
}
