import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { createDb } from "../../../lib/db/client.ts";
import { users } from "../../../lib/db/schema/index.ts";
import { createCommunity, createUserWithKey } from "../../../test/workerd/fixtures.ts";
import { documentedRoutes, fill, tryRoute } from "../../../test/workerd/route-matrix.ts";
import { call } from "../../../test/workerd/self.ts";

/**
 * Every community-scoped identity endpoint, tried by an owner of community A against
 * community B: each must answer 403 and leave B as it was.
 */
const endpoints = (b: string, bMember: string) => [
  { method: "GET", path: `/api/v1/communities/${b}/members` },
  { method: "PUT", path: `/api/v1/communities/${b}/members/${bMember}/role`, body: { role: "admin" } },
  { method: "GET", path: `/api/v1/audit?communityId=${b}` },
];

describe("cross-community access (403 matrix)", () => {
  it("an owner of A gets 403 on every admin endpoint of B, by API key", async () => {
    const a = await createCommunity();
    const b = await createCommunity();
    const attacker = await createUserWithKey({ communityId: a.id, role: "owner" });
    const victim = await createUserWithKey({ communityId: b.id, role: "member" });
    for (const e of endpoints(b.id, victim.userId)) {
      const res = await call(e.path, {
        method: e.method,
        headers: { authorization: attacker.authorization, "content-type": "application/json" },
        body: e.body ? JSON.stringify(e.body) : undefined,
      });
      expect(res.status, `${e.method} ${e.path}`).toBe(403);
    }
    const members = await call(`/api/v1/communities/${b.id}/members`, {
      headers: { authorization: (await createUserWithKey({ communityId: b.id, role: "owner" })).authorization },
    });
    const list = (await members.json<{ data: { userId: string; role: string }[] }>()).data;
    expect(list.find((m) => m.userId === victim.userId)?.role).toBe("member");
  });

  it("the same endpoints answer the owner of B (so the 403s above are about the community)", async () => {
    const b = await createCommunity();
    const owner = await createUserWithKey({ communityId: b.id, role: "owner" });
    const member = await createUserWithKey({ communityId: b.id, role: "member" });
    for (const e of endpoints(b.id, member.userId)) {
      const res = await call(e.path, {
        method: e.method,
        headers: { authorization: owner.authorization, "content-type": "application/json" },
        body: e.body ? JSON.stringify(e.body) : undefined,
      });
      expect(res.status, `${e.method} ${e.path}`).toBe(200);
    }
  });

  it("a non-admin cannot read the whole audit trail without naming a community", async () => {
    const a = await createCommunity();
    const owner = await createUserWithKey({ communityId: a.id, role: "owner" });
    expect((await call("/api/v1/audit", { headers: { authorization: owner.authorization } })).status).toBe(403);
  });
});

describe("the identity worker's community routes, read from its OpenAPI document", () => {
  const communityRoutes = async () => {
    const routes = (await documentedRoutes()).filter((r) => r.path.includes("{communityId}"));
    expect(routes.length).toBeGreaterThanOrEqual(3);
    return routes;
  };

  it("another community's owner → 403; unknown community → 404; the owner's key without the scope → 403", async () => {
    const a = await createCommunity();
    const b = await createCommunity();
    const ownerOfA = await createUserWithKey({ communityId: a.id, role: "owner" });
    const admin = await createUserWithKey({ globalRole: "admin" });
    const wrong: string[] = [];
    for (const route of await communityRoutes()) {
      expect(route.permission, `${route.method} ${route.path}`).toMatch(/^members:/);
      const other = await tryRoute(route, fill(route.path, b.id), ownerOfA.authorization);
      if (other.status !== 403) wrong.push(`other community: ${other.line}`);
      const unknown = await tryRoute(route, fill(route.path, crypto.randomUUID()), admin.authorization);
      if (unknown.status !== 404 || !unknown.body.includes("No such community")) wrong.push(`unknown: ${unknown.line}`);
      const narrow = await createUserWithKey({ communityId: a.id, role: "owner", scopes: ["commands:*"] });
      const scoped = await tryRoute(route, fill(route.path, a.id), narrow.authorization);
      if (scoped.status !== 403) wrong.push(`scope: ${scoped.line}`);
    }
    expect(wrong).toEqual([]);
  });
});

describe("adding a member to a community that does not exist (issue 10, item 20)", () => {
  it("answers 404 and leaves no user row behind, even for a global admin", async () => {
    const admin = await createUserWithKey({ globalRole: "admin" });
    const email = `ghost-${crypto.randomUUID().slice(0, 8)}@waddlebot.test`;
    const res = await call(`/api/v1/communities/${crypto.randomUUID()}/members`, {
      method: "POST",
      headers: { authorization: admin.authorization, "content-type": "application/json" },
      body: JSON.stringify({ email, displayName: "Ghost", role: "member" }),
    });
    expect(res.status).toBe(404);
    expect(await createDb(env.DB).select().from(users).where(eq(users.email, email))).toEqual([]);
  });
});

describe("role changes", () => {
  const put = (auth: string, community: string, user: string, role: string) =>
    call(`/api/v1/communities/${community}/members/${user}/role`, {
      method: "PUT",
      headers: { authorization: auth, "content-type": "application/json" },
      body: JSON.stringify({ role }),
    });

  it("a moderator cannot change roles; an admin can, but not grant owner", async () => {
    const c = await createCommunity();
    const mod = await createUserWithKey({ communityId: c.id, role: "moderator" });
    const admin = await createUserWithKey({ communityId: c.id, role: "admin" });
    const member = await createUserWithKey({ communityId: c.id, role: "member" });
    expect((await put(mod.authorization, c.id, member.userId, "moderator")).status).toBe(403);
    expect((await put(admin.authorization, c.id, member.userId, "moderator")).status).toBe(200);
    expect((await put(admin.authorization, c.id, member.userId, "owner")).status).toBe(403);
  });

  it("an owner can grant owner; nobody changes their own role", async () => {
    const c = await createCommunity();
    const owner = await createUserWithKey({ communityId: c.id, role: "owner" });
    const member = await createUserWithKey({ communityId: c.id, role: "member" });
    expect((await put(owner.authorization, c.id, member.userId, "owner")).status).toBe(200);
    expect((await put(owner.authorization, c.id, owner.userId, "member")).status).toBe(403);
  });

  it("answers 400 for an unknown role and 404 for a non-member", async () => {
    const c = await createCommunity();
    const owner = await createUserWithKey({ communityId: c.id, role: "owner" });
    const member = await createUserWithKey({ communityId: c.id, role: "member" });
    const stranger = await createUserWithKey({});
    expect((await put(owner.authorization, c.id, member.userId, "king")).status).toBe(400);
    expect((await put(owner.authorization, c.id, stranger.userId, "admin")).status).toBe(404);
  });
});
