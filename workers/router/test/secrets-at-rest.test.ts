import { createExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { randomBytes } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { displayPrefix, generateApiKey, hashApiKey } from "../../../lib/auth/api-keys.ts";
import { sealContext } from "../../../lib/crypto/sealed-columns.ts";
import { fieldContext } from "../../../lib/crypto/sealed-json.ts";
import { currentKeyId, isSealed, open, seal, sealedKeyId } from "../../../lib/crypto/secret-box.ts";
import { createDb } from "../../../lib/db/client.ts";
import { apiKeys } from "../../../lib/db/schema/index.ts";
import { createCommunity, createUserWithKey } from "../../../test/workerd/fixtures.ts";
import { adminSecretsRoutes } from "../src/admin/secrets.routes.ts";
import { api, installModule } from "./support/router.ts";

const OLD_KEY = randomBytes(32).toString("base64");
const rawConfig = async (id: string) =>
  JSON.parse(
    (await env.DB.prepare("SELECT config FROM modules WHERE id = ?").bind(id).first<{ config: string }>())!.config,
  );
const ctx = (id: string, field: string) => fieldContext(sealContext({ table: "modules", column: "config" }, id), field);

/** A module row as an older release wrote it: secret sealed under the old key, or in clear. */
async function legacyModule(secret: string, how: "old-key" | "clear") {
  const id = crypto.randomUUID();
  const value = how === "clear" ? secret : await seal({ TOKEN_ENCRYPTION_KEY: OLD_KEY }, secret, ctx(id, "secret"));
  await env.DB.prepare(
    "INSERT INTO modules (id, name, engine, config, commands, triggers, priority, parallel, created_at, updated_at) VALUES (?, ?, 'webhook', ?, '[]', '[]', 100, 0, 0, 0)",
  )
    .bind(id, `legacy-${id.slice(0, 8)}`, JSON.stringify({ url: "https://m.example/x", secret: value }))
    .run();
  return id;
}

let owner: Awaited<ReturnType<typeof createUserWithKey>>;
beforeAll(async () => {
  owner = await createUserWithKey({ globalRole: "admin" });
  await env.DB.prepare("UPDATE users SET instance_owner = 1 WHERE id = ?").bind(owner.userId).run();
});

/** The endpoint with the old key configured as previous (the rotation's set-up), as the owner by default. */
const rotate = (
  authorization = owner.authorization,
  vars: Record<string, string> = { TOKEN_ENCRYPTION_PREVIOUS_KEYS: OLD_KEY },
  body = "{}",
) =>
  adminSecretsRoutes.request(
    "/secrets/rotate",
    { method: "POST", headers: { authorization, "content-type": "application/json" }, body },
    { ...env, ...vars },
    createExecutionContext(),
  );

describe("module secrets at rest", () => {
  it("are sealed in D1 when a module is registered, and shown only as [set]", async () => {
    const c = await createCommunity();
    const { authorization } = await createUserWithKey({ communityId: c.id, role: "admin" });
    const secret = `whsec-${crypto.randomUUID()}`;
    const created = await api<{ id: string; config: { secret: string } }>(
      "POST",
      `/api/v1/communities/${c.id}/modules`,
      authorization,
      {
        name: `m-${crypto.randomUUID().slice(0, 8)}`,
        engine: "webhook",
        commands: ["weather"],
        config: { url: "https://modules.example/weather", secret },
      },
    );
    expect(created.status).toBe(201);
    expect(created.data.config.secret).toBe("[set]");
    const stored = await rawConfig(created.data.id);
    expect(isSealed(stored.secret)).toBe(true);
    expect(JSON.stringify(stored)).not.toContain(secret);
    expect(await open(env, stored.secret, ctx(created.data.id, "secret"))).toBe(secret);
    // Lambda keys and OpenWhisk auth too (installed straight through the repository).
    const lambda = await installModule(c.id, {
      engine: "lambda",
      commands: [],
      config: {
        functionName: "f",
        region: "eu-west-1",
        accessKeyId: "AKIA1",
        secretAccessKey: "aws-secret-value",
        sessionToken: "aws-session",
      },
    });
    const raw = JSON.stringify(await rawConfig(lambda.id));
    expect(raw).not.toContain("aws-secret-value");
    expect(raw).not.toContain("aws-session");
  });
});

describe("POST /api/v1/admin/secrets/rotate", () => {
  it("re-seals old-key values and seals clear ones; afterwards they open with the new key only; a second run changes nothing", async () => {
    const oldId = await legacyModule("old-key-secret-0123456789", "old-key");
    const clearId = await legacyModule("clear-secret-0123456789ab", "clear");
    const res = await rotate();
    expect(res.status).toBe(200);
    const { data } = await res.json<{ data: { keyId: string; resealed: number; sealedFromClear: number } }>();
    expect(data.keyId).toBe(await currentKeyId(env));
    expect(data.resealed).toBeGreaterThanOrEqual(1);
    expect(data.sealedFromClear).toBeGreaterThanOrEqual(1);

    for (const [id, secret] of [
      [oldId, "old-key-secret-0123456789"],
      [clearId, "clear-secret-0123456789ab"],
    ] as const) {
      const stored = (await rawConfig(id)).secret as string;
      expect(sealedKeyId(stored)).toBe(data.keyId);
      expect(await open({ TOKEN_ENCRYPTION_KEY: env.TOKEN_ENCRYPTION_KEY }, stored, ctx(id, "secret"))).toBe(secret);
      await expect(open({ TOKEN_ENCRYPTION_KEY: OLD_KEY }, stored, ctx(id, "secret"))).rejects.toThrow();
    }
    const again = await (await rotate()).json<{ data: { resealed: number; sealedFromClear: number } }>();
    expect(again.data).toMatchObject({ resealed: 0, sealedFromClear: 0 });
    const audit = await env.DB.prepare(
      "SELECT count(*) AS n FROM audit_log WHERE action = 'secrets.rotate' AND actor_id = ?",
    )
      .bind(owner.userId)
      .first<{ n: number }>();
    expect(audit!.n).toBe(2);
  });

  it("refuses with 400 and changes nothing when a value's key is not configured", async () => {
    const id = await legacyModule("stranded-secret-012345678", "old-key");
    const before = await rawConfig(id);
    const res = await rotate(owner.authorization, { TOKEN_ENCRYPTION_PREVIOUS_KEYS: "" });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ message: expect.stringMatching(/TOKEN_ENCRYPTION_PREVIOUS_KEYS/) });
    expect(await rawConfig(id)).toEqual(before);
    await rotate(); // leave the file's rows rotatable for the other tests
  });

  it("is the instance owner's alone: a global admin, a service account and the owner's * key get 403", async () => {
    const admin = await createUserWithKey({ globalRole: "admin" });
    const service = await createUserWithKey({ serviceRole: "core" });
    const key = generateApiKey();
    await createDb(env.DB)
      .insert(apiKeys)
      .values({
        userId: owner.userId,
        name: "star",
        prefix: displayPrefix(key),
        keyHash: await hashApiKey(key),
        scopes: ["*"],
      });
    for (const authorization of [admin.authorization, service.authorization, `Bearer ${key}`]) {
      expect((await rotate(authorization)).status).toBe(403);
    }
    expect((await rotate("Bearer nope")).status).toBe(401);
    expect((await rotate(owner.authorization, undefined, '{"batchSize": 0}')).status).toBe(400);
    expect((await rotate(owner.authorization, undefined, "not json")).status).toBe(400);
  });
});
