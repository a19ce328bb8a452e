import { type FormEvent, useState } from "react";
import { api } from "../api/client.ts";
import { useConfirm } from "../components/confirm.tsx";
import { Preview } from "../components/Preview.tsx";
import { CopyButton, ErrorBox, Loaded, Page, useAction, useAsync } from "../components/ui.tsx";
import { can, useCommunityId, useSession } from "../session.ts";
import { OverlayAlerts } from "./OverlayAlerts.tsx";
import { OverlayStyleForm } from "./OverlayStyleForm.tsx";

const SIZES = { ticker: "1920×120", media: "1920×1080", general: "1920×1080" } as const;

/** The three OBS browser-source URLs: copy, preview live, rotate; and a test ticker message. */
export default function Overlays() {
  const session = useSession();
  const communityId = useCommunityId();
  const writable = can(session, "overlays:write");
  const path = { communityId };
  const sources = useAsync(() => api.get("/api/v1/communities/{communityId}/overlays", { path }), [communityId]);
  const rotate = useAction();
  const send = useAction();
  const [text, setText] = useState("Hello from the WaddleBot portal!");
  const [sent, setSent] = useState(false);
  const { confirm, dialog } = useConfirm();
  // Bumped after the look is saved: the previews reload and fetch the new stylesheet.
  const [look, setLook] = useState(0);
  const sendTicker = async (e: FormEvent) => {
    e.preventDefault();
    setSent(false);
    const out = await send.run(() =>
      api.post("/api/v1/communities/{communityId}/overlays/ticker/messages", { path }, { text, durationMs: 6000 }),
    );
    if (out) setSent(true);
  };
  return (
    <Page title="Overlays">
      <p className="muted">
        In OBS: Sources → + → Browser, paste the URL, set the size shown. Anyone with a URL can watch it: rotate it if
        it leaks (the old one keeps working for 5 minutes).
      </p>
      <ErrorBox message={rotate.error} />
      {dialog}
      <Loaded state={sources}>
        {(list) => (
          <div className="overlays">
            {list.map((s) => (
              <article key={s.type} className="card overlay" data-overlay={s.type}>
                <h2>
                  {s.type} <span className="muted">{SIZES[s.type]}</span>
                </h2>
                <input
                  className="url"
                  readOnly
                  value={s.url}
                  aria-label={`${s.type} overlay URL`}
                  onFocus={(e) => e.target.select()}
                />
                <div className="buttons">
                  <CopyButton text={s.url} label="Copy URL" />
                  <a className="button secondary" href={s.url} target="_blank" rel="noreferrer">
                    Open
                  </a>
                  {writable && (
                    <button
                      type="button"
                      className="secondary"
                      disabled={rotate.busy}
                      onClick={async () => {
                        const ok = await confirm({
                          title: `Rotate the ${s.type} URL?`,
                          body: "The old URL keeps working for 5 minutes: paste the new one into OBS before then.",
                          confirmLabel: "Rotate URL",
                        });
                        if (!ok) return;
                        await rotate.run(() =>
                          api.post("/api/v1/communities/{communityId}/overlays/{type}/rotate", {
                            path: { communityId, type: s.type },
                          }),
                        );
                        await sources.reload();
                      }}
                    >
                      Rotate URL
                    </button>
                  )}
                </div>
                <p className="muted">
                  {s.clients} page{s.clients === 1 ? "" : "s"} connected · generation {s.generation}
                </p>
                <Preview key={look} title={`${s.type} preview`} url={s.url} height={s.type === "ticker" ? 120 : 1080} />
              </article>
            ))}
          </div>
        )}
      </Loaded>
      <OverlayStyleForm communityId={communityId} writable={writable} onSaved={() => setLook(look + 1)} />
      <OverlayAlerts communityId={communityId} writable={writable} />
      {writable && (
        <form className="card inline" onSubmit={sendTicker} aria-label="Send a test ticker message">
          <label className="grow">
            Test ticker message
            <input name="ticker-text" value={text} onChange={(e) => setText(e.target.value)} required maxLength={500} />
          </label>
          <button type="submit" disabled={send.busy}>
            {send.busy ? "Sending…" : "Send to ticker"}
          </button>
          <ErrorBox message={send.error} />
          {sent && <span role="status">Sent: watch the ticker preview.</span>}
        </form>
      )}
    </Page>
  );
}
