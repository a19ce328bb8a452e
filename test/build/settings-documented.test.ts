/**
 * The front door stays true (DESIGN.md, "Contracts": one name each, `.dev.vars.example` lists
 * them all): every setting the code reads is in `.dev.vars.example` and, once, in the README's
 * "Configuration" table, and neither lists a name the code no longer reads. The names are read
 * from the sources, so a new setting fails here until it is documented.
 */
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "../..");
const read = (file: string) => readFileSync(path.join(ROOT, file), "utf8");

// Where settings are read: the workers, shared code, Durable Objects, the relay, the npm scripts.
const SOURCE_DIRS = ["workers", "lib", "durable-objects", "gateway-relay/src", "scripts"];

const READS = [
  /\benv\??\.([A-Z][A-Z0-9_]+)\b/g, // env.X, c.env.X, this.env.X, process.env.X
  /\bvars\.([A-Z][A-Z0-9_]+)\b/g, // scripts/start.ts: the parsed .dev.vars
  /^\s+([A-Z][A-Z0-9_]+)\?: string;/gm, // a config interface's setting, some read by name (env[name])
  /^\s+([A-Z][A-Z0-9_]+): z\b/gm, // the relay's zod schema of process.env
  /"(WADDLEBOT_[A-Z0-9_]+)"/g, // names kept in a table (scripts/ports.ts)
];

const matches = (text: string, re: RegExp) => [...text.matchAll(re)].map((m) => m[1]!);

/** The UPPER_CASE names the given sources read, minus the bindings (they are not settings). */
function settingsRead(sources: string[], bindings: Set<string>): Set<string> {
  const names = sources.flatMap((text) => READS.flatMap((re) => matches(text, re)));
  return new Set(names.filter((n) => !bindings.has(n)));
}

/** Names given a value in `.dev.vars.example`, set or commented out (`NAME=` / `# NAME=`). */
const exampleNames = (text: string) => matches(text, /^#? ?([A-Z][A-Z0-9_]+)=/gm);

/** Names in the first column of the README's "Configuration" table. */
function readmeNames(readme: string): string[] {
  const section = readme.split(/^## Configuration$/m)[1]?.split(/^#{2,3} /m)[0] ?? "";
  const firstCells = matches(section, /^\| ([^|]+) \|/gm);
  return firstCells.flatMap((cell) => matches(cell, /`([A-Z][A-Z0-9_]+)`/g));
}

function sourceFiles(): string[] {
  return SOURCE_DIRS.flatMap((dir) =>
    (readdirSync(path.join(ROOT, dir), { recursive: true }) as string[])
      .filter((f) => /\.tsx?$/.test(f) && !f.endsWith(".test.ts") && !/(^|\/)test\//.test(f))
      .map((f) => read(path.join(dir, f))),
  );
}

function bindingNames(): Set<string> {
  // The router's config is the root wrangler.toml.
  const tomls = ["wrangler.toml", ...["webhooks", "identity", "modules"].map((w) => `workers/${w}/wrangler.toml`)];
  const names = tomls.flatMap((t) => matches(read(t), /^(?:binding|name) = "([A-Z][A-Z0-9_]*)"/gm));
  // The optional Workers AI binding is left out of wrangler.toml on purpose (workers/modules/src/env.ts).
  return new Set([...names, "AI"]);
}

const duplicates = (names: string[]) => names.filter((n, i) => names.indexOf(n) !== i);
const missing = (want: Iterable<string>, have: Iterable<string>) => {
  const got = new Set(have);
  return [...want].filter((n) => !got.has(n)).sort();
};

const code = settingsRead(sourceFiles(), bindingNames());
const example = exampleNames(read(".dev.vars.example"));
const readme = readmeNames(read("README.md"));

it("reads the settings from the code (a sanity floor: the scan found the known ones)", () => {
  for (const n of ["DISCORD_PUBLIC_KEY", "TWITCH_AUTH_BASE", "RELAY_PORT", "RELAY_ENABLED", "WADDLEBOT_MODULES_PORT"]) {
    expect(code).toContain(n);
  }
  for (const binding of ["DB", "EVENTS", "OUTBOX", "MODULES", "AI"]) expect(code).not.toContain(binding);
});

it("lists every setting the code reads in .dev.vars.example, once each", () => {
  expect(missing(code, example)).toEqual([]);
  expect(duplicates(example)).toEqual([]);
});

it("lists every setting the code reads in the README's Configuration table, once each", () => {
  expect(missing(code, readme)).toEqual([]);
  expect(duplicates(readme)).toEqual([]);
});

it("lists no setting the code no longer reads", () => {
  expect(missing(example, code)).toEqual([]);
  expect(missing(readme, code)).toEqual([]);
});

it("catches a new setting left undocumented, a README row given twice and a stale name", () => {
  const found = settingsRead(["const x = env.NEW_SETTING ?? c.env.DB; if (vars.OTHER) {}"], new Set(["DB"]));
  expect([...found].sort()).toEqual(["NEW_SETTING", "OTHER"]);
  expect(missing(found, exampleNames("OTHER=1\n# GONE=\n"))).toEqual(["NEW_SETTING"]);
  expect(missing(exampleNames("OTHER=1\n# GONE=\n"), found)).toEqual(["GONE"]);
  const table = "## Configuration\n\n| variable | by |\n|---|---|\n| `OTHER` | a |\n| `OTHER`, `NEW_SETTING` | b |\n";
  expect(duplicates(readmeNames(`${table}\n### Retention\n| \`LATER\` | x |\n`))).toEqual(["OTHER"]);
  expect(readmeNames(`${table}\n### Retention\n| \`LATER\` | x |\n`)).not.toContain("LATER");
});
