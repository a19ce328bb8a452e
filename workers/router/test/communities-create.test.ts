import { createExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { displayPrefix, generateApiKey, hashApiKey } from "../../../lib/auth/api-keys.ts";
import { createDb } from "../../../lib/db/client.ts";
import { apiKeys } from "../../../lib/db/schema/index.ts";
import { createUserWithKey } from "../../../test/workerd/fixtures.ts";
import { call } from "../../../test/workerd/self.ts";
import { createCommunityRoutes } from "../src/communities/create.routes.ts";

const post = (authorization: string, body: unknown) =>
  call("/api/v1/communities", {
    method: "POST",
    headers: { authorization, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
const slug = () => `c-${crypto.randomUUID().slice(0, 8)}`;
const countSlug = async (s: string) =>
  (await env.DB.prepare("SELECT count(*) AS n FROM communities WHERE slug = ?").bind(s).first<{ n: number }>())!.n;

let owner: Awaited<ReturnType<typeof createUserWithKey>>;
beforeAll(async () => {
  owner = await createUserWithKey({ globalRole: "admin" });
  // The one instance owner of this file's database (the first run's job in production).
  await env.DB.prepare("UPDATE users SET instance_owner = 1 WHERE id = ?").bind(owner.userId).run();
});

describe("POST /api/v1/communities", () => {
  it("lets the instance owner create one and makes them its owner, audited", async () => {
    const s = slug();
    const res = await post(owner.authorization, { slug: s, name: "Penguin Club" });
    expect(res.status).toBe(201);
    const { data } = await res.json<{ data: { id: string; role: string } }>();
    expect(data).toMatchObject({ slug: s, name: "Penguin Club", role: "owner", demo: false });
    const member = await env.DB.prepare("SELECT role FROM community_members WHERE community_id = ? AND user_id = ?")
      .bind(data.id, owner.userId)
      .first();
    expect(member).toEqual({ role: "owner" });
    const audit = await env.DB.prepare(
      "SELECT actor_id, details FROM audit_log WHERE action = 'community.create' AND target_id = ?",
    )
      .bind(data.id)
      .first<{ actor_id: string; details: string }>();
    expect(audit?.actor_id).toBe(owner.userId);
    expect(JSON.parse(audit!.details)).toEqual({ from: null, to: { slug: s, name: "Penguin Club" } });
    // It is listed for its creator.
    const list = await call("/api/v1/communities", { headers: { authorization: owner.authorization } });
    expect((await list.json<{ data: { id: string }[] }>()).data.map((c) => c.id)).toContain(data.id);
  });

  it("answers a taken slug with 409 and changes nothing", async () => {
    const s = slug();
    expect((await post(owner.authorization, { slug: s, name: "First" })).status).toBe(201);
    const res = await post(owner.authorization, { slug: s, name: "Second" });
    expect(res.status).toBe(409);
    expect(await countSlug(s)).toBe(1);
  });

  it("refuses bad slugs and names with 400, storing nothing", async () => {
    for (const bad of ["AB", "ab", "-abc", "abc-", "a--b", "has space", "ünï", "x".repeat(41), ""]) {
      const res = await post(owner.authorization, { slug: bad, name: "Bad" });
      expect(res.status, bad).toBe(400);
      expect(await countSlug(bad)).toBe(0);
    }
    expect((await post(owner.authorization, { slug: slug(), name: "" })).status).toBe(400);
    expect((await post(owner.authorization, { slug: slug(), name: "x", extra: 1 })).status).toBe(400);
  });

  it("owner-only (the default): a signed-in user who is not the instance owner, even a global admin, gets 403", async () => {
    for (const caller of [await createUserWithKey({}), await createUserWithKey({ globalRole: "admin" })]) {
      const s = slug();
      const res = await post(caller.authorization, { slug: s, name: "Mine" });
      expect(res.status).toBe(403);
      expect(await countSlug(s)).toBe(0);
    }
    expect((await post("Bearer nope", { slug: slug(), name: "x" })).status).toBe(401);
  });

  it("refuses a key without the communities:create scope and any service account", async () => {
    const scoped = await createUserWithKey({ scopes: ["communities:list"] });
    await env.DB.prepare("UPDATE users SET instance_owner = 0 WHERE id = ?").bind(scoped.userId).run();
    const service = await createUserWithKey({ serviceRole: "core" });
    // The instance owner's own key, narrowed to listing: the kit's scope check refuses it.
    const key = generateApiKey();
    await createDb(env.DB)
      .insert(apiKeys)
      .values({
        userId: owner.userId,
        name: "narrow",
        prefix: displayPrefix(key),
        keyHash: await hashApiKey(key),
        scopes: ["communities:list"],
      });
    for (const authorization of [scoped.authorization, service.authorization, `Bearer ${key}`]) {
      expect((await post(authorization, { slug: slug(), name: "x" })).status).toBe(403);
    }
  });

  it("any-user: every signed-in person may create one (service accounts still may not)", async () => {
    const anyUser = { ...env, COMMUNITY_CREATION: "any-user" };
    const request = (authorization: string, s: string) =>
      createCommunityRoutes.request(
        "/",
        {
          method: "POST",
          headers: { authorization, "content-type": "application/json" },
          body: JSON.stringify({ slug: s, name: "Open" }),
        },
        anyUser,
        createExecutionContext(),
      );
    const user = await createUserWithKey({});
    const s = slug();
    expect((await request(user.authorization, s)).status).toBe(201);
    expect(await countSlug(s)).toBe(1);
    const service = await createUserWithKey({ serviceRole: "core" });
    expect((await request(service.authorization, slug())).status).toBe(403);
  });
});
