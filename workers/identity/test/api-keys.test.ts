import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { createDb } from "../../../lib/db/client.ts";
import { apiKeys } from "../../../lib/db/schema/index.ts";
import { createUserWithKey } from "../../../test/workerd/fixtures.ts";
import { call } from "../../../test/workerd/self.ts";
import { signedIn } from "./helpers.ts";

type NewKey = { id: string; key: string; prefix: string; expiresAt: string | null };
const bearer = (key: string) => ({ authorization: `Bearer ${key}`, "content-type": "application/json" });
const me = (key: string) => call("/api/v1/auth/me", { headers: bearer(key) });

async function makeKey(headers: Record<string, string>, body: Record<string, unknown> = { name: "ci" }) {
  const res = await call("/api/v1/keys", { method: "POST", headers, body: JSON.stringify(body) });
  return { res, data: res.status === 201 ? (await res.json<{ data: NewKey }>()).data : undefined };
}

describe("API keys", () => {
  it("shows a new key once (wbk_ + 160 random bits), stores only its SHA-256, and it works as Bearer", async () => {
    const user = await signedIn();
    const { res, data } = await makeKey(user.write);
    expect(res.status).toBe(201);
    expect(data!.key).toMatch(/^wbk_[0-9a-f]{40}$/);
    expect(data!.key.startsWith(data!.prefix)).toBe(true);
    const row = await createDb(env.DB).select().from(apiKeys).where(eq(apiKeys.id, data!.id)).get();
    expect(JSON.stringify(row)).not.toContain(data!.key);
    expect(row!.keyHash).toMatch(/^[0-9a-f]{64}$/);
    expect(await (await me(data!.key)).json()).toMatchObject({ data: { user: { id: user.id }, via: "api_key" } });
  });

  it("expires after 365 days by default", async () => {
    const user = await signedIn();
    const { data } = await makeKey(user.write);
    const days = (Date.parse(data!.expiresAt!) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(364.9);
    expect(days).toBeLessThanOrEqual(365);
  });

  it("lists keys with prefix and last use only, never the key", async () => {
    const user = await signedIn();
    const { data } = await makeKey(user.write);
    await me(data!.key);
    const res = await call("/api/v1/keys", { headers: user.read });
    const text = await res.text();
    expect(text).not.toContain(data!.key);
    const list = JSON.parse(text).data as { id: string; prefix: string; lastUsedAt: string | null }[];
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ id: data!.id, prefix: data!.prefix });
    expect(list[0]!.lastUsedAt).not.toBeNull();
  });

  it("a revoked key no longer authenticates", async () => {
    const user = await signedIn();
    const { data } = await makeKey(user.write);
    const res = await call(`/api/v1/keys/${data!.id}`, { method: "DELETE", headers: user.write });
    expect(res.status).toBe(200);
    expect((await me(data!.key)).status).toBe(401);
  });

  it("an expired key no longer authenticates", async () => {
    const user = await signedIn();
    const { data } = await makeKey(user.write);
    await createDb(env.DB)
      .update(apiKeys)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(apiKeys.id, data!.id));
    expect((await me(data!.key)).status).toBe(401);
  });

  it("regenerating kills the old key and returns a working new one", async () => {
    const user = await signedIn();
    const { data: old } = await makeKey(user.write, { name: "deploy", scopes: ["commands:read"] });
    const res = await call(`/api/v1/keys/${old!.id}/regenerate`, { method: "POST", headers: user.write });
    expect(res.status).toBe(201);
    const fresh = (await res.json<{ data: NewKey & { name: string; scopes: string[] } }>()).data;
    expect(fresh.key).not.toBe(old!.key);
    expect(fresh).toMatchObject({ name: "deploy", scopes: ["commands:read"] });
    expect((await me(old!.key)).status).toBe(401);
    expect((await me(fresh.key)).status).toBe(200);
    const again = await call(`/api/v1/keys/${old!.id}/regenerate`, { method: "POST", headers: user.write });
    expect(again.status).toBe(409);
  });

  it("a key works on the key API itself (Bearer on every admin endpoint)", async () => {
    const { apiKey } = await createUserWithKey({});
    const res = await call("/api/v1/keys", { headers: bearer(apiKey) });
    expect(res.status).toBe(200);
  });

  it("a scoped key cannot mint a broader key", async () => {
    const { apiKey } = await createUserWithKey({ scopes: ["commands:read", "keys:write"] });
    expect((await makeKey(bearer(apiKey), { name: "wider" })).res.status).toBe(403);
    expect((await makeKey(bearer(apiKey), { name: "wider", scopes: ["commands:*"] })).res.status).toBe(403);
    expect((await makeKey(bearer(apiKey), { name: "same", scopes: ["commands:read"] })).res.status).toBe(201);
  });

  it("a key without keys:write cannot mint, regenerate or revoke keys; without keys:read cannot list them", async () => {
    const { apiKey, userId } = await createUserWithKey({ scopes: ["commands:read"] });
    expect((await makeKey(bearer(apiKey), { name: "same", scopes: ["commands:read"] })).res.status).toBe(403);
    expect((await call("/api/v1/keys", { headers: bearer(apiKey) })).status).toBe(403);
    const [own] = await createDb(env.DB).select().from(apiKeys).where(eq(apiKeys.userId, userId));
    const revoke = await call(`/api/v1/keys/${own!.id}`, { method: "DELETE", headers: bearer(apiKey) });
    expect(revoke.status).toBe(403);
    const regen = await call(`/api/v1/keys/${own!.id}/regenerate`, { method: "POST", headers: bearer(apiKey) });
    expect(regen.status).toBe(403);
    const after = await createDb(env.DB).select().from(apiKeys).where(eq(apiKeys.userId, userId));
    expect(after.map((k) => [k.id, k.revokedAt])).toEqual([[own!.id, null]]);
  });

  it("only a global admin makes a key with a service scope (events:ingest)", async () => {
    const user = await signedIn();
    expect((await makeKey(user.write, { name: "ingest", scopes: ["events:ingest"] })).res.status).toBe(403);
    const admin = await signedIn({ globalRole: "admin" });
    expect((await makeKey(admin.write, { name: "ingest", scopes: ["events:ingest"] })).res.status).toBe(201);
    // A `*` key does not imply the service scope, so it cannot mint one either.
    const star = await createUserWithKey({ globalRole: "admin", scopes: ["*"] });
    expect((await makeKey(bearer(star.apiKey), { name: "ingest", scopes: ["events:ingest"] })).res.status).toBe(403);
  });

  it("refuses unknown scopes with 400", async () => {
    const user = await signedIn();
    const { res } = await makeKey(user.write, { name: "x", scopes: ["root:everything"] });
    expect(res.status).toBe(400);
  });

  it("allows at most 20 live keys per user", async () => {
    const user = await signedIn();
    for (let i = 0; i < 20; i++) expect((await makeKey(user.write, { name: `k${i}` })).res.status).toBe(201);
    const { res } = await makeKey(user.write, { name: "one too many" });
    expect(res.status).toBe(409);
  });

  it("cannot revoke or regenerate someone else's key (404)", async () => {
    const owner = await signedIn();
    const other = await signedIn();
    const { data } = await makeKey(owner.write);
    expect((await call(`/api/v1/keys/${data!.id}`, { method: "DELETE", headers: other.write })).status).toBe(404);
    const regen = await call(`/api/v1/keys/${data!.id}/regenerate`, { method: "POST", headers: other.write });
    expect(regen.status).toBe(404);
    expect((await me(data!.key)).status).toBe(200);
  });
});
