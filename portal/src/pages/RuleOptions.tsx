import { Field, type Issue, num } from "../components/field.tsx";

/** Domains a links filter lets through, offered as one-click presets (subdomains included). */
const DOMAIN_PRESETS: Record<string, string[]> = {
  YouTube: ["youtube.com", "youtu.be"],
  "Twitch clips": ["clips.twitch.tv"],
  Spotify: ["open.spotify.com"],
};

interface OptionsForm {
  caseSensitive: boolean;
  maxCapsRatio: number;
  minLength: number;
  allowedDomains: string;
  repeatCount: number;
  repeatWindowSec: number;
  permit: boolean;
  permitSec: number;
}

export const optionsFrom = (o: Record<string, unknown> | undefined): OptionsForm => ({
  caseSensitive: o?.caseSensitive === true,
  maxCapsRatio: typeof o?.maxCapsRatio === "number" ? o.maxCapsRatio : 0.7,
  minLength: typeof o?.minLength === "number" ? o.minLength : 10,
  allowedDomains: Array.isArray(o?.allowedDomains) ? o.allowedDomains.join("\n") : "",
  repeatCount: typeof o?.repeatCount === "number" ? o.repeatCount : 3,
  repeatWindowSec: typeof o?.repeatWindowSec === "number" ? o.repeatWindowSec : 60,
  permit: o?.permit !== false,
  permitSec: typeof o?.permitSec === "number" ? o.permitSec : 60,
});

const domainsOf = (text: string) =>
  text
    .split(/[\n,]+/)
    .map((d) => d.trim().toLowerCase())
    .filter(Boolean);

/** The options body for a match type: only what that filter reads, so nothing stale is stored. */
export function optionsBody(matchType: string, o: OptionsForm) {
  if (matchType === "caps") return { maxCapsRatio: o.maxCapsRatio, minLength: o.minLength };
  if (matchType === "links")
    return {
      allowedDomains: domainsOf(o.allowedDomains),
      permit: o.permit,
      ...(o.permit ? { permitSec: o.permitSec } : {}),
    };
  if (matchType === "repeat") return { repeatCount: o.repeatCount, repeatWindowSec: o.repeatWindowSec };
  return { caseSensitive: o.caseSensitive };
}

/** The fields of the chosen filter: caps ratio, the links allow-list with presets, the repeat window. */
export function RuleOptionsFields(props: {
  matchType: string;
  options: OptionsForm;
  issues: Issue[];
  onChange(options: OptionsForm): void;
}) {
  const o = props.options;
  const set = <K extends keyof OptionsForm>(k: K, v: OptionsForm[K]) => props.onChange({ ...o, [k]: v });
  if (props.matchType === "caps")
    return (
      <>
        <Field label="Share of capitals that trips it (0.1–1)" path="options.maxCapsRatio" issues={props.issues}>
          {(p) => (
            <input
              {...p}
              type="number"
              step={0.05}
              min={0.1}
              max={1}
              value={o.maxCapsRatio}
              onChange={(e) => set("maxCapsRatio", num(e.target.value))}
            />
          )}
        </Field>
        <Field label="Ignore messages with fewer letters than" path="options.minLength" issues={props.issues}>
          {(p) => (
            <input
              {...p}
              type="number"
              min={1}
              max={500}
              value={o.minLength}
              onChange={(e) => set("minLength", num(e.target.value))}
            />
          )}
        </Field>
      </>
    );
  if (props.matchType === "repeat")
    return (
      <>
        <Field label="Same message this many times" path="options.repeatCount" issues={props.issues}>
          {(p) => (
            <input
              {...p}
              type="number"
              min={2}
              max={20}
              value={o.repeatCount}
              onChange={(e) => set("repeatCount", num(e.target.value))}
            />
          )}
        </Field>
        <Field label="Within (s)" path="options.repeatWindowSec" issues={props.issues}>
          {(p) => (
            <input
              {...p}
              type="number"
              min={1}
              max={3600}
              value={o.repeatWindowSec}
              onChange={(e) => set("repeatWindowSec", num(e.target.value))}
            />
          )}
        </Field>
      </>
    );
  if (props.matchType === "links") {
    const add = (domains: string[]) =>
      set("allowedDomains", [...new Set([...domainsOf(o.allowedDomains), ...domains])].join("\n"));
    return (
      <div className="full stack">
        <Field
          label="Links allowed (one domain per line; subdomains included)"
          path="options.allowedDomains"
          issues={props.issues}
          hint="Every other link is caught."
        >
          {(p) => (
            <textarea
              {...p}
              rows={3}
              value={o.allowedDomains}
              onChange={(e) => set("allowedDomains", e.target.value)}
            />
          )}
        </Field>
        <div className="buttons">
          {Object.entries(DOMAIN_PRESETS).map(([name, domains]) => (
            <button key={name} type="button" className="secondary" onClick={() => add(domains)}>
              Allow {name}
            </button>
          ))}
        </div>
        <label className="check">
          <input type="checkbox" checked={o.permit} onChange={(e) => set("permit", e.target.checked)} /> Moderators may
          !permit a user's links
        </label>
        {o.permit && (
          <Field
            label="A plain !permit lasts (s, for one link)"
            path="options.permitSec"
            issues={props.issues}
            hint="With seconds, !permit lets any links through for that long (at most 600)."
          >
            {(p) => (
              <input
                {...p}
                type="number"
                min={1}
                max={600}
                value={o.permitSec}
                onChange={(e) => set("permitSec", num(e.target.value))}
              />
            )}
          </Field>
        )}
      </div>
    );
  }
  return (
    <label className="check">
      <input type="checkbox" checked={o.caseSensitive} onChange={(e) => set("caseSensitive", e.target.checked)} /> Case
      sensitive
    </label>
  );
}
