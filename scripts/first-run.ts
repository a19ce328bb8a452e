/**
 * The first-run step of `npm run deploy` (lib/instance/first-run.ts): when the instance has no
 * owner, create it from ADMIN_EMAIL / ADMIN_PASSWORD, or print a one-time setup URL. Runs
 * against any executor of SQL, so tests drive it against a local D1 and deploy against the
 * remote one (`wrangler d1 execute --remote`).
 */
import { spawnSync } from "node:child_process";
import { OWNER_EXISTS_SQL, ownerFromSecretsSql, setupTokenSql, setupUrl } from "../lib/instance/first-run.ts";
import { ROOT } from "./local.ts";

/** Runs SQL statements in order (one transaction) and returns the first statement's rows. */
export type SqlExecutor = (statements: string[]) => Promise<Record<string, unknown>[]>;

export type FirstRunResult =
  | { kind: "exists" }
  | { kind: "created"; email: string }
  | { kind: "setup-url"; url: string };

export async function firstRun(
  exec: SqlExecutor,
  vars: { ADMIN_EMAIL?: string; ADMIN_PASSWORD?: string; PUBLIC_BASE_URL?: string; PUBLIC_URL?: string },
  now = Date.now(),
): Promise<FirstRunResult> {
  const [row] = await exec([OWNER_EXISTS_SQL]);
  if (Number(row?.n ?? 0) > 0) return { kind: "exists" };
  if (vars.ADMIN_EMAIL && vars.ADMIN_PASSWORD) {
    await exec([await ownerFromSecretsSql(vars.ADMIN_EMAIL, vars.ADMIN_PASSWORD, now)]);
    return { kind: "created", email: vars.ADMIN_EMAIL.trim().toLowerCase() };
  }
  // The portal's address; without one the operator fills in the router's workers.dev host.
  const base = vars.PUBLIC_BASE_URL || vars.PUBLIC_URL || "https://waddlebot-router.<your-subdomain>.workers.dev";
  const { token, sql } = await setupTokenSql(now);
  await exec(sql);
  return { kind: "setup-url", url: setupUrl(base, token) };
}

/** The remote D1 through wrangler (`--json` prints one result object per statement). */
export const remoteD1: SqlExecutor = async (statements) => {
  const sql = statements.join("; ");
  const result = spawnSync(
    "npx",
    ["wrangler", "d1", "execute", "DB", "--remote", "--json", "-c", "wrangler.toml", "--command", sql],
    { cwd: ROOT, encoding: "utf8", env: { ...process.env, WRANGLER_SEND_METRICS: "false" } },
  );
  if (result.status !== 0) throw new Error(`wrangler d1 execute failed (${result.status}):\n${result.stderr}`);
  const parsed = JSON.parse(result.stdout) as { results?: Record<string, unknown>[] }[];
  return parsed[0]?.results ?? [];
};

/** Prints what happened, in words an operator acts on. The password is never printed. */
export function report(result: FirstRunResult): void {
  if (result.kind === "exists") console.log("first run: the instance owner exists");
  else if (result.kind === "created") console.log(`first run: instance owner ${result.email} created from ADMIN_EMAIL`);
  else {
    console.log("first run: no instance owner yet. Open this one-time setup URL (valid 24 h, single use):");
    console.log(`  ${result.url}`);
  }
}
