/**
 * The overlay pages' stylesheet (served at /overlay/assets/overlay.css). Transparent
 * background, system fonts only (nothing is fetched from the internet), sized by the browser
 * source: ticker 1920×120, media and general 1920×1080. Animations use transform and opacity
 * only, so OBS composites them without layout work.
 */
export const OVERLAY_STYLE = String.raw`
:root { color-scheme: dark; --fg: #fff; --panel: rgba(14, 16, 26, 0.86); --accent: #7c5cff; --muted: rgba(255, 255, 255, 0.72); }
* { box-sizing: border-box; }
html, body { margin: 0; padding: 0; width: 100%; height: 100%; overflow: hidden; background: transparent; }
body { color: var(--fg); font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Helvetica Neue", Arial, sans-serif; -webkit-font-smoothing: antialiased; }
[hidden] { display: none !important; }

/* ticker: a compact bar, 1920x120 */
.ticker { position: absolute; inset: 0; display: flex; align-items: center; justify-content: center; padding: 0 24px; }
.ticker-item { display: flex; align-items: center; gap: 20px; max-width: 100%; height: 84px; padding: 0 32px 0 14px; border-radius: 42px;
  background: var(--panel); box-shadow: 0 8px 28px rgba(0, 0, 0, 0.35); border: 2px solid rgba(255, 255, 255, 0.08);
  opacity: 0; transform: translateY(40px) scale(0.98); transition: opacity 400ms ease, transform 400ms cubic-bezier(0.2, 0.8, 0.2, 1); }
.ticker-item.shown { opacity: 1; transform: none; }
.ticker-item.leaving { opacity: 0; transform: translateY(-30px); }
.ticker-item .badge { flex: none; padding: 10px 22px; border-radius: 30px; background: var(--accent); font-weight: 800; font-size: 28px; letter-spacing: 0.04em; text-transform: uppercase; }
.ticker-item.kind-info { padding-left: 32px; }
.kind-follow .badge { background: #2bb673; } .kind-subscribe .badge { background: #9146ff; } .kind-subscription_gift .badge { background: #e0529c; }
.kind-raid .badge { background: #ff7a1a; } .kind-cheer .badge { background: #e6b422; color: #1a1400; } .kind-alert .badge { background: #e5484d; }
.ticker-item .viewport { overflow: hidden; white-space: nowrap; min-width: 0; }
.ticker-item .text { display: inline-block; font-size: 40px; font-weight: 700; line-height: 84px; }
.ticker-item .text.scroll { animation: ticker-scroll linear 600ms forwards; }
@keyframes ticker-scroll { from { transform: translateX(0); } to { transform: translateX(var(--shift)); } }

/* media: now playing, bottom left of 1920x1080 */
.media { position: absolute; left: 64px; bottom: 64px; display: flex; gap: 28px; align-items: center; width: 760px; padding: 24px;
  border-radius: 28px; background: var(--panel); box-shadow: 0 12px 40px rgba(0, 0, 0, 0.4);
  opacity: 0; transform: translateX(-40px); transition: opacity 500ms ease, transform 500ms cubic-bezier(0.2, 0.8, 0.2, 1); }
.media.shown { opacity: 1; transform: none; }
.media .art { flex: none; width: 168px; height: 168px; border-radius: 18px; overflow: hidden; background: linear-gradient(135deg, #7c5cff, #e0529c); display: grid; place-items: center; }
.media .art img { width: 100%; height: 100%; object-fit: cover; }
.media.no-art .art img { display: none; }
.media.no-art .art::after { content: "\266B"; font-size: 84px; color: rgba(255, 255, 255, 0.9); }
.media .meta { flex: 1; min-width: 0; }
.media .label { font-size: 20px; font-weight: 700; letter-spacing: 0.12em; text-transform: uppercase; color: var(--accent); }
.media .title { font-size: 42px; font-weight: 800; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.media .artist { margin-top: 4px; font-size: 28px; color: var(--muted); white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.media .progress { margin-top: 18px; height: 8px; border-radius: 4px; background: rgba(255, 255, 255, 0.18); overflow: hidden; }
.media .bar { height: 100%; background: var(--fg); transform-origin: left center; transform: scaleX(0); transition: transform 250ms linear; }
.media .times { display: flex; justify-content: space-between; margin-top: 8px; font-size: 20px; color: var(--muted); font-variant-numeric: tabular-nums; }
.media.no-duration .progress, .media.no-duration .times { display: none; }

/* general: announcements and forms, top centre of 1920x1080 */
.general { position: absolute; top: 64px; left: 50%; width: min(1200px, calc(100% - 128px)); padding: 36px 48px; border-radius: 28px;
  background: var(--panel); box-shadow: 0 12px 40px rgba(0, 0, 0, 0.4); font-size: 34px; line-height: 1.35;
  opacity: 0; transform: translate(-50%, -30px); transition: opacity 500ms ease, transform 500ms cubic-bezier(0.2, 0.8, 0.2, 1); }
.general.shown { opacity: 1; transform: translate(-50%, 0); }
.general h1 { margin: 0 0 12px; font-size: 52px; }
.general .content > :first-child { margin-top: 0; } .general .content > :last-child { margin-bottom: 0; }
.general .content h1, .general .content h2, .general .content h3 { margin: 0.4em 0 0.2em; }
.general .content img { max-width: 100%; border-radius: 12px; }
.general .content a { color: #b9a8ff; }
.general .content mark { background: var(--accent); color: #fff; padding: 0 0.2em; border-radius: 6px; }

@media (prefers-reduced-motion: reduce) { .ticker-item, .media, .general { transition: none; } .ticker-item .text.scroll { animation: none; } }
`;
