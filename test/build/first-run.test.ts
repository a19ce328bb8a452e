import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { convertV4MiniflareOptions, Miniflare } from "miniflare";
import { afterAll, beforeAll, expect, it } from "vitest";
import { verifyPassword } from "../../lib/crypto/password.ts";
import { hashSetupToken } from "../../lib/instance/first-run.ts";
import { firstRun, type SqlExecutor } from "../../scripts/first-run.ts";
import { applyMigrations } from "../../scripts/local.ts";

// A real local D1 with the migrations applied: the same SQL deploy sends to the remote one.
let mf: Miniflare;
let db: Awaited<ReturnType<Miniflare["getD1Database"]>>;
const dir = mkdtempSync(path.join(tmpdir(), "waddlebot-first-run-"));

beforeAll(async () => {
  mf = new Miniflare(
    convertV4MiniflareOptions({
      modules: true,
      script: "export default { fetch: () => new Response('') }",
      d1Databases: ["DB"],
      d1Persist: dir,
    } as never),
  );
  db = await mf.getD1Database("DB");
  await applyMigrations(db);
});
afterAll(async () => {
  await mf.dispose();
  rmSync(dir, { recursive: true, force: true });
});

const exec: SqlExecutor = async (statements) => {
  const results = await db.batch(statements.map((s) => db.prepare(s)));
  return (results[0]?.results ?? []) as Record<string, unknown>[];
};
const owners = async () =>
  (await db.prepare("SELECT email, password_hash, global_role FROM users WHERE instance_owner = 1").all()).results as {
    email: string;
    password_hash: string;
    global_role: string;
  }[];

it("refuses a short ADMIN_PASSWORD and writes nothing", async () => {
  await expect(firstRun(exec, { ADMIN_EMAIL: "owner@example.com", ADMIN_PASSWORD: "short" })).rejects.toThrow(
    /at least 12/,
  );
  expect(await owners()).toEqual([]);
});

it("without the secrets, stores only the hash of a one-time token and prints its setup URL", async () => {
  const result = await firstRun(exec, { PUBLIC_URL: "https://bot.example.com/" });
  expect(result.kind).toBe("setup-url");
  const url = (result as { url: string }).url;
  expect(url).toMatch(/^https:\/\/bot\.example\.com\/setup#token=wbs_[0-9a-f]{64}$/);
  const token = url.split("#token=")[1]!;
  const rows = (await db.prepare("SELECT token_hash, used_at FROM instance_setup_tokens").all()).results;
  expect(rows).toEqual([{ token_hash: await hashSetupToken(token), used_at: null }]);
  expect(JSON.stringify(rows)).not.toContain(token);
  // A second deploy withdraws the first URL: one live token at a time.
  await firstRun(exec, { PUBLIC_URL: "https://bot.example.com" });
  const live = (await db.prepare("SELECT count(*) AS n FROM instance_setup_tokens WHERE used_at IS NULL").first()) as {
    n: number;
  };
  expect(live.n).toBe(1);
  expect(await owners()).toEqual([]);
});

it("creates the instance owner from ADMIN_EMAIL / ADMIN_PASSWORD, once; later deploys leave it alone", async () => {
  const password = "correct horse battery";
  expect(await firstRun(exec, { ADMIN_EMAIL: " Owner@Example.com ", ADMIN_PASSWORD: password })).toEqual({
    kind: "created",
    email: "owner@example.com",
  });
  const [owner] = await owners();
  expect(owner).toMatchObject({ email: "owner@example.com", global_role: "admin" });
  expect(await verifyPassword(password, owner!.password_hash)).toBe(true);
  expect(await firstRun(exec, { ADMIN_EMAIL: "other@example.com", ADMIN_PASSWORD: "another long password" })).toEqual({
    kind: "exists",
  });
  expect((await owners()).map((o) => o.email)).toEqual(["owner@example.com"]);
});

it("the database itself refuses a second owner, whatever writes it", async () => {
  await expect(
    db
      .prepare(
        "INSERT INTO users (id, email, display_name, global_role, reputation_score, instance_owner, created_at, updated_at) VALUES ('x', 'x@example.com', 'X', 'user', 0, 1, 0, 0)",
      )
      .run(),
  ).rejects.toThrow(/UNIQUE/);
});
