import { useState } from "react";
import { api, type Schemas } from "../api/client.ts";
import { useToast } from "../components/toast.tsx";
import { ErrorBox, Loaded, useAction, useAsync } from "../components/ui.tsx";

type Kind = keyof Schemas["OverlayAlertSettings"];
/** The platform events that can raise a ticker alert, in plain words, with a sample for the test. */
const KINDS: [Kind, string, string][] = [
  ["follow", "New followers", "Pingu just followed!"],
  ["subscribe", "New subscribers", "Pingu subscribed for 3 months!"],
  ["subscription_gift", "Gifted subs", "Pingu gifted 5 subs!"],
  ["raid", "Raids", "Pingu is raiding with 42 viewers!"],
  ["cheer", "Cheers (bits)", "Pingu cheered 500 bits!"],
];

/**
 * The alert switches (all off until turned on) and a test button per alert kind and for the media
 * and general overlays, so a streamer sees each one in OBS before going live.
 */
export function OverlayAlerts({ communityId, writable }: { communityId: string; writable: boolean }) {
  const path = { communityId };
  const alerts = useAsync(() => api.get("/api/v1/communities/{communityId}/overlays/alerts", { path }), [communityId]);
  const act = useAction();
  const toast = useToast();
  // The switch moves at once; the saved state replaces it when the API answers (or refuses).
  const [moving, setMoving] = useState<Partial<Record<Kind, boolean>>>({});
  const flip = async (kind: Kind, on: boolean, label: string) => {
    setMoving((m) => ({ ...m, [kind]: on }));
    const done = await act.run(() =>
      api.put("/api/v1/communities/{communityId}/overlays/alerts", { path }, { [kind]: on }),
    );
    if (done) toast(`${label}: alerts ${on ? "on" : "off"}`);
    await alerts.reload();
    setMoving((m) => {
      const { [kind]: _, ...rest } = m;
      return rest;
    });
  };
  const test = async (what: string, send: () => Promise<unknown>) => {
    const done = await act.run(async () => {
      await send();
      return true;
    });
    if (done) toast(`Sent a test ${what}: watch the preview`);
  };
  const ticker = (kind: Kind, text: string) =>
    api.post("/api/v1/communities/{communityId}/overlays/ticker/messages", { path }, { text, kind, durationMs: 6000 });
  return (
    <section className="card" aria-labelledby="alerts-title">
      <h2 id="alerts-title">Alerts on the ticker</h2>
      <p className="muted">Which platform events show on the ticker overlay. All are off until you turn them on.</p>
      <ErrorBox message={act.error} />
      <Loaded state={alerts}>
        {(settings) => (
          <div className="switches">
            {KINDS.map(([kind, label, sample]) => (
              <div key={kind} className="switch" data-alert={kind}>
                <label className="check">
                  <input
                    type="checkbox"
                    checked={moving[kind] ?? settings[kind]}
                    disabled={!writable || act.busy}
                    onChange={(e) => void flip(kind, e.target.checked, label)}
                  />{" "}
                  {label}
                </label>
                {writable && (
                  <button
                    type="button"
                    className="secondary"
                    onClick={() => void test(`${label} alert`, () => ticker(kind, sample))}
                  >
                    Test<span className="visually-hidden"> {label}</span>
                  </button>
                )}
              </div>
            ))}
          </div>
        )}
      </Loaded>
      {writable && (
        <div className="buttons">
          <button
            type="button"
            className="secondary"
            onClick={() =>
              void test("song", () =>
                api.post(
                  "/api/v1/communities/{communityId}/overlays/media/messages",
                  { path },
                  { title: "Waddle Song", artist: "The Penguins", durationMs: 180_000, positionMs: 30_000 },
                ))
            }
          >
            Test the media overlay
          </button>
          <button
            type="button"
            className="secondary"
            onClick={() =>
              void test("announcement", () =>
                api.post(
                  "/api/v1/communities/{communityId}/overlays/general/messages",
                  { path },
                  { title: "Welcome!", html: "<p>This is a <strong>test</strong> of the general overlay.</p>" },
                ))
            }
          >
            Test the general overlay
          </button>
        </div>
      )}
    </section>
  );
}
