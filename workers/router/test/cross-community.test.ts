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

/** An owner's key of `communityId` per single scope, made once per scope (routes share permissions). */
function scopedKeys(communityId: string) {
  const keys = new Map<string, ReturnType<typeof createUserWithKey>>();
  return (scope: string) => {
    if (!keys.has(scope)) keys.set(scope, createUserWithKey({ communityId, role: "owner", scopes: [scope] }));
    return keys.get(scope)!;
  };
}

// The matrices call every documented route, so they grow with the API: a bound per test that
// fits a loaded machine rather than the 5 s default.
const MATRIX = { timeout: 30_000 };

describe("a member of community A can do nothing in community B", MATRIX, () => {
  it("is refused with 403 on every community-scoped admin endpoint, even as A's owner", async () => {
    const a = await createCommunity();
    const b = await createCommunity();
    const owner = await createUserWithKey({ communityId: a.id, role: "owner" });
    // All at once: a refused request changes nothing, so the order cannot matter.
    const answers = await Promise.all(
      (await communityEndpoints()).map(
        async (route) => (await tryRoute(route, fill(route.path, b.id), owner.authorization)).line,
      ),
    );
    expect(answers.filter((a) => !a.startsWith("403"))).toEqual([]);
  });

  it("is allowed the same endpoints in A (the matrix is not refusing everything)", async () => {
    const a = await createCommunity();
    const owner = await createUserWithKey({ communityId: a.id, role: "owner" });
    const reads = (await communityEndpoints()).filter(
      (e) => e.method === "GET" && !/\{(?!communityId)\w+\}/.test(e.path),
    );
    const statuses = await Promise.all(
      reads.map(async ({ path }) => {
        const res = await call(path.replace("{communityId}", a.id), {
          headers: { authorization: owner.authorization },
        });
        await res.body?.cancel();
        return `${res.status} ${path}`;
      }),
    );
    expect(statuses.filter((line) => !line.startsWith("200 "))).toEqual([]);
    expect(statuses.length).toBeGreaterThan(5);
  });
});

describe("an unknown community answers 404 on every community-scoped endpoint, before any handler", MATRIX, () => {
  it("for a global admin (who passes every permission check) and for an owner of another community", async () => {
    const a = await createCommunity();
    const admin = await createUserWithKey({ globalRole: "admin" });
    const owner = await createUserWithKey({ communityId: a.id, role: "owner" });
    const calls = (await communityEndpoints()).flatMap((route) =>
      [admin, owner].map(async (caller) => {
        const { status, body, line } = await tryRoute(
          route,
          fill(route.path, crypto.randomUUID()),
          caller.authorization,
        );
        // The guard's own 404, not a route that happens not to exist.
        return status !== 404 || !body.includes("No such community") ? [line] : [];
      }),
    );
    expect((await Promise.all(calls)).flat()).toEqual([]);
  });
});

describe("API key scopes hold on every community-scoped endpoint", MATRIX, () => {
  it("every community route declares a community permission in the document (x-permission)", async () => {
    const missing = (await communityEndpoints()).filter((r) => !r.permission || !(r.permission in PERMISSIONS));
    expect(missing).toEqual([]);
  });

  it("the real owner's key whose scopes lack the route's permission is refused with 403", async () => {
    const a = await createCommunity();
    const keyFor = scopedKeys(a.id);
    const answers = await Promise.all(
      (await communityEndpoints()).map(async (route) => {
        const scope = otherScope(route.permission!);
        const { line } = await tryRoute(route, fill(route.path, a.id), (await keyFor(scope)).authorization);
        return line.startsWith("403") ? [] : [`${line} (scope ${scope})`];
      }),
    );
    expect(answers.flat()).toEqual([]);
  });

  it("the same owner's key scoped to exactly the route's permission gets past auth (not 401/403/404)", async () => {
    const a = await createCommunity();
    const keyFor = scopedKeys(a.id);
    const refused: string[] = [];
    // One by one: a route that gets past auth may change the community the next one reads.
    for (const route of await communityEndpoints()) {
      const key = await keyFor(route.permission!);
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
    const answers = await Promise.all(
      routes.map(
        async (route) => (await tryRoute(route, fill(route.path, crypto.randomUUID()), admin.authorization)).line,
      ),
    );
    expect(answers.filter((line) => !line.startsWith("403"))).toEqual([]);
  });
});
