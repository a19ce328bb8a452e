import { RE2JS } from "re2js";

/**
 * String matching for moderation rules. Every user-supplied pattern runs on RE2 (re2js),
 * which matches in time linear in the input: a pattern like `(a+)+$` cannot hang the
 * worker, and constructs that need backtracking (backreferences, lookaround) do not compile,
 * so such rules are refused when saved.
 */
export class PatternError extends Error {}

export type Matcher = (text: string) => boolean;

/**
 * RE2 is linear in the input, but the constant is the compiled program: `\p{L}{1000}` is a
 * thousand-instruction program whose DFA states are rebuilt for every message, hundreds of
 * milliseconds for one 2000-character line. A rule's program is capped when it is saved
 * (a 200-character literal compiles to ~210); the sum over a community's rules is capped too
 * (rule-limits.ts). The input is not truncated: a cut-off message would make `$` match early.
 * A wall-clock budget would not work: a Worker's clock only moves on I/O.
 */
export const MAX_PROGRAM_SIZE = 250;

/** A compiled text rule and what it costs per message (RE2 program size; 1 for plain string tests). */
interface CompiledPattern {
  match: Matcher;
  cost: number;
}

const flags = (caseSensitive: boolean) => (caseSensitive ? 0 : RE2JS.CASE_INSENSITIVE) | RE2JS.DOTALL;
/** Word characters in any script, for whole-word matching of non-English words too. */
const NOT_WORD = "[^\\p{L}\\p{N}_]";

function re2(source: string, caseSensitive: boolean): RE2JS {
  let re: RE2JS;
  try {
    re = RE2JS.compile(source, flags(caseSensitive));
  } catch (err) {
    throw new PatternError(`not a supported regular expression: ${(err as Error).message}`.slice(0, 300));
  }
  const size = re.programSize();
  if (size > MAX_PROGRAM_SIZE) {
    throw new PatternError(
      `the expression is too costly to run on every message (program size ${size}, at most ${MAX_PROGRAM_SIZE}): use smaller counted repetitions, e.g. {20} rather than {1000}`,
    );
  }
  return re;
}

/** Compiles a text rule's pattern; throws PatternError for an invalid or too costly one. */
export function compilePattern(type: string, pattern: string, caseSensitive: boolean): CompiledPattern {
  const fold = (s: string) => (caseSensitive ? s : s.toLowerCase());
  switch (type) {
    case "exact": {
      const p = fold(pattern.trim());
      return { cost: 1, match: (text) => fold(text.trim()) === p };
    }
    case "contains": {
      const p = fold(pattern);
      return { cost: 1, match: (text) => fold(text).includes(p) };
    }
    case "word": {
      const re = re2(`(?:^|${NOT_WORD})${RE2JS.quote(pattern)}(?:${NOT_WORD}|$)`, caseSensitive);
      return { cost: re.programSize(), match: (text) => re.test(text) };
    }
    case "wildcard": {
      // `*` is any run of characters; the pattern must cover the whole message.
      const re = re2(`^${pattern.split("*").map(RE2JS.quote).join(".*")}$`, caseSensitive);
      return { cost: re.programSize(), match: (text) => re.matcher(text.trim()).matches() };
    }
    case "regex": {
      const re = re2(pattern, caseSensitive);
      return { cost: re.programSize(), match: (text) => re.test(text) };
    }
  }
  throw new PatternError(`${type} takes no pattern`);
}

/** True when at least `minLength` letters and at least `ratio` of them are upper case. */
export function capsMatcher(ratio = 0.7, minLength = 10): Matcher {
  return (text) => {
    let letters = 0;
    let upper = 0;
    for (const ch of text) {
      const lower = ch.toLowerCase();
      const up = ch.toUpperCase();
      if (lower === up) continue;
      letters++;
      if (ch === up) upper++;
    }
    return letters >= minLength && upper / letters >= ratio;
  };
}

// A URL with a scheme, or a bare domain with a TLD people actually link (so "e.g." or "file.txt" are not links).
const URL_RE = RE2JS.compile(
  "(?:https?://([a-z0-9.-]+))|(?:^|[^a-z0-9.-])((?:[a-z0-9-]+\\.)+(?:com|net|org|io|gg|tv|co|me|ly|xyz|app|dev|link|info|ru|de|uk|fr|be|to|sh|site|online|shop|live|stream))(?:[/:?#]|$|[^a-z0-9.-])",
  RE2JS.CASE_INSENSITIVE,
);

/** The hosts of the links in a message. */
function linkHosts(text: string): string[] {
  const hosts: string[] = [];
  const m = URL_RE.matcher(text);
  while (m.find()) {
    const host = m.group(1) ?? m.group(2);
    if (host) hosts.push(host.toLowerCase().replace(/\.$/, ""));
  }
  return hosts;
}

/** True when the message links anywhere outside the allow-list (a domain allows its subdomains). */
export function linksMatcher(allowed: string[] = []): Matcher {
  const allow = allowed.map((d) => d.toLowerCase());
  const ok = (host: string) => allow.some((d) => host === d || host.endsWith(`.${d}`));
  return (text) => linkHosts(text).some((h) => !ok(h));
}
