/**
 * `npm run rotate-key [-- --remote]`: re-seals every sealed secret (lib/crypto/sealed-columns.ts)
 * under the current TOKEN_ENCRYPTION_KEY and seals module secrets still in clear (the data
 * migration for rows written before they were sealed). Locally it works on `npm start`'s D1
 * with the keys in .dev.vars; with --remote on the deployed D1 through wrangler, with the keys
 * from the environment (the same values as the workers' secrets). Idempotent: run it again and
 * it reports zeros. The same code runs behind POST /api/v1/admin/secrets/rotate.
 *
 * Rotating: put the old key in TOKEN_ENCRYPTION_PREVIOUS_KEYS and the new one in
 * TOKEN_ENCRYPTION_KEY (on the workers too), run this, then drop the previous key.
 */
import { spawnSync } from "node:child_process";
import path from "node:path";
import { convertV4MiniflareOptions, Miniflare } from "miniflare";
import { experimental_readRawConfig } from "wrangler";
import {
  d1Runner,
  type RotationReport,
  rotateSecrets,
  type SqlRunner,
  type SqlStatement,
} from "../lib/crypto/rotate.ts";
import { sqlString } from "../lib/instance/first-run.ts";
import { applyMigrations, ROOT, readVars } from "./local.ts";

/** A statement with its parameters written in as literals (`wrangler d1 execute` takes none). */
export function inlineParams({ sql, params }: SqlStatement): string {
  let i = 0;
  return sql.replace(/\?/g, () => {
    const value = params[i++];
    if (value === null || value === undefined) return "NULL";
    if (typeof value === "number") {
      if (!Number.isFinite(value)) throw new Error("not a finite number");
      return String(value);
    }
    return sqlString(value);
  });
}

/** The deployed D1 through wrangler: each call is one `d1 execute --remote` (a batch runs as one). */
export const remoteRunner: SqlRunner = {
  all: async (s) => execute([inlineParams(s)]),
  batch: async (statements) => void (await execute(statements.map(inlineParams))),
};

function execute(sql: string[]): Record<string, unknown>[] {
  const result = spawnSync(
    "npx",
    ["wrangler", "d1", "execute", "DB", "--remote", "--json", "-c", "wrangler.toml", "--command", sql.join("; ")],
    { cwd: ROOT, encoding: "utf8", env: { ...process.env, WRANGLER_SEND_METRICS: "false" } },
  );
  if (result.status !== 0) throw new Error(`wrangler d1 execute failed (${result.status}):\n${result.stderr}`);
  return (JSON.parse(result.stdout) as { results?: Record<string, unknown>[] }[])[0]?.results ?? [];
}

/** `npm start`'s D1 (the same persistence folder and database id as scripts/local.ts). */
async function localRunner(): Promise<{ runner: SqlRunner; dispose: () => Promise<void> }> {
  const { d1_databases } = experimental_readRawConfig({ config: path.join(ROOT, "wrangler.toml") }).rawConfig;
  const databaseId = d1_databases?.find((d: { binding: string }) => d.binding === "DB")?.database_id;
  const mf = new Miniflare(
    convertV4MiniflareOptions({
      name: "waddlebot-router",
      modules: true,
      script: "export default { fetch: () => new Response('') }",
      d1Databases: { DB: databaseId },
      resourcePersistencePath: path.join(ROOT, ".wrangler/state", "v3"),
      cf: false,
    } as never),
  );
  const db = await mf.getD1Database("DB");
  // As `npm start` does: a fresh checkout's database gets its tables first.
  await applyMigrations(db);
  return { runner: d1Runner(db as never), dispose: () => mf.dispose() };
}

export function printReport(report: RotationReport): void {
  console.log(`current key id ${report.keyId}`);
  for (const c of report.columns) {
    console.log(
      `  ${c.table}.${c.column}: ${c.scanned} rows, ${c.resealed} re-sealed, ${c.sealedFromClear} sealed from clear`,
    );
  }
  console.log(`done: ${report.resealed} re-sealed, ${report.sealedFromClear} sealed from clear`);
}

if (import.meta.main) {
  const remote = process.argv.includes("--remote");
  const vars = remote ? process.env : { ...(await readVars(path.join(ROOT, ".dev.vars"))), ...process.env };
  const box = {
    TOKEN_ENCRYPTION_KEY: vars.TOKEN_ENCRYPTION_KEY,
    TOKEN_ENCRYPTION_PREVIOUS_KEYS: vars.TOKEN_ENCRYPTION_PREVIOUS_KEYS,
  };
  if (remote) printReport(await rotateSecrets(box, remoteRunner));
  else {
    const local = await localRunner();
    try {
      printReport(await rotateSecrets(box, local.runner));
    } finally {
      await local.dispose();
    }
  }
}
