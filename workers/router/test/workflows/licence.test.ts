import { describe, expect, it } from "vitest";
import { createCommunity, createUserWithKey } from "../../../../test/workerd/fixtures.ts";
import { api } from "../support/router.ts";
import { inDays, signLicence } from "./licence-support.ts";

async function setup() {
  const community = await createCommunity();
  const admin = await createUserWithKey({ communityId: community.id, role: "admin" });
  const base = `/api/v1/communities/${community.id}`;
  return {
    community,
    // biome-ignore lint/suspicious/noExplicitAny: answers are read loosely in these tests
    call: <T = any>(m: string, p: string, body?: unknown) => api<T>(m, `${base}${p}`, admin.authorization, body),
  };
}

describe("workflow licence tiers", () => {
  it("free allows one workflow: the second is refused with 402 in the envelope, and not stored", async () => {
    const { call } = await setup();
    expect((await call("POST", "/workflows", { name: "one" })).status).toBe(201);
    const second = await call("POST", "/workflows", { name: "two" });
    expect(second.status).toBe(402);
    expect(second).toMatchObject({ success: false, message: expect.stringMatching(/free tier allows 1/) });
    expect((await call("GET", "/workflows")).data).toHaveLength(1);
    expect((await call("GET", "/workflow-licence")).data).toMatchObject({ tier: "free" });
  });

  it("a valid pro licence lifts the limit", async () => {
    const { call, community } = await setup();
    const token = await signLicence({ communityId: community.id, tier: "pro", exp: inDays(30) });
    expect((await call("PUT", "/workflow-licence", { token })).data).toMatchObject({ tier: "pro" });
    for (const name of ["a", "b", "c"]) expect((await call("POST", "/workflows", { name })).status).toBe(201);
  });

  it("refuses with 402 a licence signed by another key, for another community, expired, or malformed", async () => {
    const { call, community } = await setup();
    const other = (await crypto.subtle.generateKey({ name: "Ed25519" }, false, ["sign", "verify"])) as CryptoKeyPair;
    const cases = [
      [await signLicence({ communityId: community.id, tier: "pro", exp: inDays(30) }, other.privateKey), /signature/],
      [
        await signLicence({ communityId: (await createCommunity()).id, tier: "pro", exp: inDays(30) }),
        /another community/,
      ],
      [await signLicence({ communityId: community.id, tier: "pro", exp: inDays(-1) }), /expired/],
      ["not-a-licence-token", /not a licence/],
    ] as const;
    for (const [token, why] of cases) {
      const res = await call("PUT", "/workflow-licence", { token });
      expect(res.status, String(why)).toBe(402);
      expect(res.message).toMatch(why);
    }
    expect((await call("GET", "/workflow-licence")).data).toMatchObject({ tier: "free", expiresAt: null });
  });

  it("once the stored licence expires, the community is back to the free limit (402)", async () => {
    const { call, community } = await setup();
    const token = await signLicence({ communityId: community.id, tier: "pro", exp: Math.floor(Date.now() / 1000) + 2 });
    expect((await call("PUT", "/workflow-licence", { token })).status).toBe(200);
    expect((await call("POST", "/workflows", { name: "a" })).status).toBe(201);
    expect((await call("POST", "/workflows", { name: "b" })).status).toBe(201);
    // Wait for the expiry itself (the tier read back turns free), not a fixed sleep.
    const until = Date.now() + 5000;
    while (Date.now() < until && (await call("GET", "/workflow-licence")).data.tier === "pro") {
      await new Promise((r) => setTimeout(r, 100));
    }
    const third = await call("POST", "/workflows", { name: "c" });
    expect(third.status).toBe(402);
    expect(third.message).toMatch(/expired/);
  });
});
