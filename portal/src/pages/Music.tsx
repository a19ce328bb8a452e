import { useState } from "react";
import { api } from "../api/client.ts";
import { useConfirm } from "../components/confirm.tsx";
import { useToast } from "../components/toast.tsx";
import { Empty, ErrorBox, Loaded, Page, useAction, useAsync } from "../components/ui.tsx";
import { can, useCommunityId, useSession } from "../session.ts";

/** What the Spotify callback said when it sent the browser back here (#/music?connected=spotify | ?error=…). */
function callbackResult(): { connected: boolean; error?: string } {
  const q = new URLSearchParams(window.location.hash.split("?")[1] ?? "");
  return { connected: q.get("connected") === "spotify", error: q.get("error") ?? undefined };
}

const clock = (ms: number) => `${Math.floor(ms / 60_000)}:${String(Math.floor(ms / 1000) % 60).padStart(2, "0")}`;

/**
 * The Music page: connect the streamer's Spotify (admins), what plays now, the song requests,
 * skip and clear (moderators, as !skip and !srclear); the YouTube Music queue below.
 */
export default function Music() {
  const session = useSession();
  const communityId = useCommunityId();
  const admin = can(session, "modules:write");
  const control = can(session, "music:control");
  const view = useAsync(
    () => api.get("/api/v1/communities/{communityId}/music", { path: { communityId } }),
    [communityId],
  );
  const action = useAction();
  const toast = useToast();
  const { confirm, dialog } = useConfirm();
  const [result] = useState(callbackResult);

  const connect = async () => {
    const out = await action.run(() =>
      api.post("/api/v1/communities/{communityId}/music/spotify/connect", { path: { communityId } }),
    );
    if (out) window.location.assign(out.authorizeUrl);
  };
  const act = async (what: "skip" | "clear") => {
    const out = await action.run(() =>
      api.post("/api/v1/communities/{communityId}/music/spotify/{action}", { path: { communityId, action: what } }),
    );
    if (out) {
      toast(what === "skip" ? "Skipped to the next song." : `Cleared ${out.cleared ?? 0} song requests.`);
      await view.reload();
    }
  };
  const disconnect = async () => {
    const ok = await confirm({
      title: "Disconnect Spotify?",
      body: "!song, !sr and the overlay's now playing stop until Spotify is connected again.",
      confirmLabel: "Disconnect",
      danger: true,
    });
    if (!ok) return;
    if (
      await action.run(() => api.delete("/api/v1/communities/{communityId}/music/spotify", { path: { communityId } }))
    ) {
      toast("Spotify disconnected.");
      await view.reload();
    }
  };

  return (
    <Page title="Music">
      {dialog}
      {result.connected && !result.error && (
        <p className="notice" role="status">
          Spotify connected.
        </p>
      )}
      <ErrorBox message={result.error ? `Connecting Spotify: ${result.error}` : null} />
      <ErrorBox message={action.error} />
      <Loaded state={view}>
        {({ spotify, youtube }) => (
          <>
            <section className="card" aria-labelledby="spotify-title" data-section="spotify">
              <h2 id="spotify-title">Spotify</h2>
              {spotify.account ? (
                <p data-spotify-status={spotify.status}>
                  {spotify.status === "active" ? "Connected" : "Access withdrawn: connect again"} as{" "}
                  <strong>{spotify.account.name ?? spotify.account.id}</strong>.
                </p>
              ) : (
                <p data-spotify-status="none">
                  {spotify.configured
                    ? "Not connected: !song and !sr answer that an admin has to connect Spotify."
                    : "This instance has no Spotify app (SPOTIFY_CLIENT_ID is not set)."}
                </p>
              )}
              {admin && (
                <div className="buttons">
                  {spotify.configured && (
                    <button type="button" disabled={action.busy} onClick={connect}>
                      {spotify.account ? "Connect again" : "Connect Spotify"}
                    </button>
                  )}
                  {spotify.account && (
                    <button type="button" className="danger" disabled={action.busy} onClick={disconnect}>
                      Disconnect
                    </button>
                  )}
                </div>
              )}
              <h3>Now playing</h3>
              {spotify.nowPlaying ? (
                <div className="now-playing" data-now-playing>
                  <p>
                    <strong>{spotify.nowPlaying.title}</strong>
                    {spotify.nowPlaying.artist && ` — ${spotify.nowPlaying.artist}`}
                    <br />
                    {spotify.nowPlaying.isPlaying ? "Playing" : "Paused"}, {clock(spotify.nowPlaying.positionMs)} /{" "}
                    {clock(spotify.nowPlaying.durationMs)}
                  </p>
                </div>
              ) : (
                <Empty>{spotify.problem ?? "Nothing is playing."}</Empty>
              )}
              <h3>Song requests</h3>
              {spotify.requests.length === 0 ? (
                <Empty>No requests waiting: chat asks with !sr song name.</Empty>
              ) : (
                <ol data-list="spotify-requests">
                  {spotify.requests.map((r) => (
                    <li key={r.id}>
                      {r.title}
                      {r.artist && ` — ${r.artist}`} <span className="muted">(requested by {r.requestedBy})</span>
                    </li>
                  ))}
                </ol>
              )}
              {control && spotify.status === "active" && (
                <div className="buttons">
                  <button type="button" disabled={action.busy} onClick={() => act("skip")}>
                    Skip song
                  </button>
                  <button
                    type="button"
                    disabled={action.busy || spotify.requests.length === 0}
                    onClick={() => act("clear")}
                  >
                    Clear requests
                  </button>
                </div>
              )}
            </section>
            <section className="card" aria-labelledby="youtube-title" data-section="youtube">
              <h2 id="youtube-title">YouTube Music queue</h2>
              <p>
                {youtube.playing
                  ? `Now playing: ${youtube.playing.title} — ${youtube.playing.artist} (requested by ${youtube.playing.requestedBy})`
                  : "Nothing is playing (chat requests with !yt song name)."}
              </p>
              {youtube.queue.length > 0 && (
                <ol data-list="youtube-queue">
                  {youtube.queue.map((r) => (
                    <li key={r.id}>
                      {r.title} <span className="muted">(requested by {r.requestedBy})</span>
                    </li>
                  ))}
                </ol>
              )}
            </section>
          </>
        )}
      </Loaded>
    </Page>
  );
}
