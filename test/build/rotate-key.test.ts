import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { convertV4MiniflareOptions, Miniflare } from "miniflare";
import { afterAll, beforeAll, expect, it } from "vitest";
import { rotateSecrets, type SqlRunner } from "../../lib/crypto/rotate.ts";
import { sealContext } from "../../lib/crypto/sealed-columns.ts";
import { fieldContext } from "../../lib/crypto/sealed-json.ts";
import { currentKeyId, open, seal, sealedKeyId } from "../../lib/crypto/secret-box.ts";
import { applyMigrations } from "../../scripts/local.ts";
import { inlineParams } from "../../scripts/rotate-key.ts";

// `npm run rotate-key -- --remote` sends literal SQL through wrangler; here the same literal SQL
// runs against a real local D1, so quoting and the re-sealing are checked end to end.
let mf: Miniflare;
let db: Awaited<ReturnType<Miniflare["getD1Database"]>>;
const dir = mkdtempSync(path.join(tmpdir(), "waddlebot-rotate-"));
beforeAll(async () => {
  mf = new Miniflare(
    convertV4MiniflareOptions({
      modules: true,
      script: "export default {}",
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

const literal: SqlRunner = {
  all: async (s) => ((await db.prepare(inlineParams(s)).all()).results ?? []) as Record<string, unknown>[],
  batch: async (statements) => void (await db.batch(statements.map((s) => db.prepare(inlineParams(s))))),
};

it("writes parameters as SQL literals, quotes doubled", () => {
  expect(inlineParams({ sql: "SELECT ?, ?, ?", params: ["it's", 3, null] })).toBe("SELECT 'it''s', 3, NULL");
});

it("re-seals an old-key module secret and seals a clear one, through literal SQL; a second run does nothing", async () => {
  const oldKey = randomBytes(32).toString("base64");
  const newKey = randomBytes(32).toString("base64");
  const ctx = (id: string) => fieldContext(sealContext({ table: "modules", column: "config" }, id), "secret");
  const rows = [
    { id: crypto.randomUUID(), secret: "o'brien-secret-0123456789" },
    { id: crypto.randomUUID(), secret: "clear-secret-0123456789ab" },
  ];
  const stored = [await seal({ TOKEN_ENCRYPTION_KEY: oldKey }, rows[0]!.secret, ctx(rows[0]!.id)), rows[1]!.secret];
  for (const [i, r] of rows.entries()) {
    await db
      .prepare(
        "INSERT INTO modules (id, name, engine, config, commands, triggers, priority, parallel, created_at, updated_at) VALUES (?, ?, 'webhook', ?, '[]', '[]', 100, 0, 0, 0)",
      )
      .bind(r.id, `m${i}`, JSON.stringify({ url: "https://m.example", secret: stored[i] }))
      .run();
  }
  const box = { TOKEN_ENCRYPTION_KEY: newKey, TOKEN_ENCRYPTION_PREVIOUS_KEYS: oldKey };
  const report = await rotateSecrets(box, literal, { batch: 1 });
  expect(report).toMatchObject({ resealed: 1, sealedFromClear: 1 });
  for (const r of rows) {
    const { config } = (await db.prepare("SELECT config FROM modules WHERE id = ?").bind(r.id).first()) as {
      config: string;
    };
    const secret = JSON.parse(config).secret as string;
    expect(config).not.toContain(r.secret);
    expect(sealedKeyId(secret)).toBe(await currentKeyId(box));
    expect(await open({ TOKEN_ENCRYPTION_KEY: newKey }, secret, ctx(r.id))).toBe(r.secret);
  }
  expect(await rotateSecrets(box, literal)).toMatchObject({ resealed: 0, sealedFromClear: 0 });
});
