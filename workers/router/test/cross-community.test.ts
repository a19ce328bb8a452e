import { describe, expect, it } from "vitest";
import { ACCOUNT_PERMISSIONS, PERMISSIONS } from "../../../lib/auth/permissions.ts";
import { createCommunity, createUserWithKey } from "../../../test/workerd/fixtures.ts";
import { type DocRoute, documentedRoutes, fill, tryRoute } from "../../../test/workerd/route-matrix.ts";
import { call } from "../../../test/workerd/self.ts";

/**
 * Every community-scoped admin endpoint, read from the published OpenAPI document (router and
 * identity merged), so an endpoint added later is covered without touching this test.
 */
async function communityEndpoints(): Promise<DocRoute[]> {
  const routes = (await documentedRoutes()).filter((r) => r.path.includes("{communityId}"));
  expect(routes.length).toBeGreaterThan(25);
  return routes;
}

/** A scope that is a real permission but not this one, nor its area: the key is valid, just too narrow. */
function otherScope(permission: string): string {
  const area = permission.split(":")[0];
  return Object.keys(PERMISSIONS).find((p) => p.split(":")[0] !== area)!;
}

describe("a member of community A can do nothing in community B", () => {
  it("is refused with 403 on every community-scoped admin endpoint, even as A's owner", async () => {
    const a = await createCommunity();
    const b = await createCommunity();
    const owner = await createUserWithKey({ communityId: a.id, role: "owner" });
    const answers: string[] = [];
    for (const route of await communityEndpoints()) {
      answers.push((await tryRoute(route, fill(route.path, b.id), owner.authorization)).line);
    }
    expect(answers.filter((a) => !a.startsWith("403"))).toEqual([]);
  });

  it("is allowed the same endpoints in A (the matrix is not refusing everything)", async () => {
    const a = await createCommunity();
    const owner = await createUserWithKey({ communityId: a.id, role: "owner" });
    const reads = (await communityEndpoints()).filter(
      (e) => e.method === "GET" && !/\{(?!communityId)\w+\}/.test(e.path),
    );
    for (const { path } of reads) {
      const res = await call(path.replace("{communityId}", a.id), { headers: { authorization: owner.authorization } });
      expect(res.status, path).toBe(200);
    }
  });
});

describe("an unknown community answers 404 on every community-scoped endpoint, before any handler", () => {
  it("for a global admin (who passes every permission check) and for an owner of another community", async () => {
    const a = await createCommunity();
    const admin = await createUserWithKey({ globalRole: "admin" });
    const owner = await createUserWithKey({ communityId: a.id, role: "owner" });
    const answers: string[] = [];
    for (const route of await communityEndpoints()) {
      for (const caller of [admin, owner]) {
        const { status, body, line } = await tryRoute(
          route,
          fill(route.path, crypto.randomUUID()),
          caller.authorization,
        );
        // The guard's own 404, not a route that happens not to exist.
        if (status !== 404 || !body.includes("No such community")) answers.push(line);
      }
    }
    expect(answers).toEqual([]);
  });
});

// Two requests per community route (the marketplace added six): past the 5 s default on a busy machine.
describe("API key scopes hold on every community-scoped endpoint", { timeout: 30_000 }, () => {
  it("every community route declares a community permission in the document (x-permission)", async () => {
    const missing = (await communityEndpoints()).filter((r) => !r.permission || !(r.permission in PERMISSIONS));
    expect(missing).toEqual([]);
  });

  it("the real owner's key whose scopes lack the route's permission is refused with 403", async () => {
    const a = await createCommunity();
    const answers: string[] = [];
    for (const route of await communityEndpoints()) {
      const key = await createUserWithKey({
        communityId: a.id,
        role: "owner",
        scopes: [otherScope(route.permission!)],
      });
      const { line } = await tryRoute(route, fill(route.path, a.id), key.authorization);
      if (!line.startsWith("403")) answers.push(`${line} (scope ${otherScope(route.permission!)})`);
    }
    expect(answers).toEqual([]);
  });

  it("the same owner's key scoped to exactly the route's permission gets past auth (not 401/403/404)", async () => {
    const a = await createCommunity();
    const refused: string[] = [];
    for (const route of await communityEndpoints()) {
      const key = await createUserWithKey({ communityId: a.id, role: "owner", scopes: [route.permission!] });
      const { status, body, line } = await tryRoute(route, fill(route.path, a.id), key.authorization);
      // 404 is fine for a placeholder id (no such command), never for the community itself.
      if (status === 401 || status === 403 || body.includes("No such community")) refused.push(line);
    }
    expect(refused).toEqual([]);
  });
});

describe("no authenticated route goes undeclared", () => {
  /** Public by design: sign-in, password reset, OAuth, who-am-I and sign-out handle their own auth. */
  const PUBLIC = [/^\/api\/v1\/auth\//, /^\/api\/v1\/openapi\.json$/, /^\/api\/v1\/health/];

  it("every route under /api/v1 (but the public ones) declares a permission and its security", async () => {
    const doc = await documentedRoutes();
    const undeclared = doc
      .filter((r) => r.path.startsWith("/api/v1/") && !PUBLIC.some((p) => p.test(r.path)))
      .filter((r) => !r.permission)
      .map((r) => `${r.method} ${r.path}`);
    expect(doc.length).toBeGreaterThan(40);
    expect(undeclared).toEqual([]);
  });

  it("every route outside communities refuses a global admin's key whose scopes lack its permission", async () => {
    const admin = await createUserWithKey({ globalRole: "admin", scopes: ["platforms:read"] });
    const routes = (await documentedRoutes()).filter(
      (r) => r.permission && !r.path.includes("{communityId}") && r.permission !== "platforms:read",
    );
    for (const r of routes) expect(r.permission! in { ...PERMISSIONS, ...ACCOUNT_PERMISSIONS }, r.path).toBe(true);
    expect(routes.length).toBeGreaterThanOrEqual(10);
    const answers: string[] = [];
    for (const route of routes) {
      const { line } = await tryRoute(route, fill(route.path, crypto.randomUUID()), admin.authorization);
      if (!line.startsWith("403")) answers.push(line);
    }
    expect(answers).toEqual([]);
  });
});
