import { describe, expect, it } from "vitest";
import { createCommunity, createUserWithKey } from "../../../test/workerd/fixtures.ts";
import { call } from "../../../test/workerd/self.ts";

type Doc = { paths: Record<string, Record<string, unknown>> };

/** Placeholder values for the other path parameters: well-formed, so only authorisation can refuse. */
const PARAMS: Record<string, string> = {
  commandId: crypto.randomUUID(),
  ruleId: crypto.randomUUID(),
  moduleId: crypto.randomUUID(),
  userId: crypto.randomUUID(),
  type: "ticker",
  platform: "twitch",
  platformUserId: "123",
};

/**
 * Every community-scoped admin endpoint, read from the published OpenAPI document (router and
 * identity merged), so an endpoint added later is covered without touching this test.
 */
async function communityEndpoints(): Promise<{ method: string; path: string }[]> {
  const doc = await (await call("/api/v1/openapi.json")).json<Doc>();
  return Object.entries(doc.paths)
    .filter(([path]) => path.includes("{communityId}"))
    .flatMap(([path, ops]) => Object.keys(ops).map((method) => ({ method: method.toUpperCase(), path })));
}

describe("a member of community A can do nothing in community B", () => {
  it("is refused with 403 on every community-scoped admin endpoint, even as A's owner", async () => {
    const a = await createCommunity();
    const b = await createCommunity();
    const owner = await createUserWithKey({ communityId: a.id, role: "owner" });
    const endpoints = await communityEndpoints();
    expect(endpoints.length).toBeGreaterThan(25);
    const answers: string[] = [];
    for (const { method, path } of endpoints) {
      const url = path.replace("{communityId}", b.id).replace(/\{(\w+)\}/g, (_, name: string) => PARAMS[name] ?? "x");
      const res = await call(url, {
        method,
        headers: { authorization: owner.authorization, "content-type": "application/json" },
        body: method === "GET" || method === "DELETE" ? undefined : "{}",
      });
      answers.push(`${res.status} ${method} ${path}`);
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
