import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { apiLimits, DEFAULT_API_LIMITS } from "../../../lib/auth/api-limits.ts";
import { createCommunity, createUserWithKey } from "../../../test/workerd/fixtures.ts";
import type { Env } from "../src/env.ts";
import Router from "../src/index.ts";

/**
 * The router itself with a small `API_RATE_LIMITS` (the suite's own settings keep the seeds'
 * defaults): real D1, real RateLimiter Durable Objects, the real identity worker over RPC.
 */
async function routerWith(limits: string) {
  const ctx = createExecutionContext();
  const worker = new Router(ctx, { ...(env as unknown as Env), API_RATE_LIMITS: limits });
  return async (path: string, authorization: string) => {
    const res = await worker.fetch(new Request(`http://worker.test${path}`, { headers: { authorization } }));
    await waitOnExecutionContext(ctx);
    return res;
  };
}

describe("per-caller API request limits (seeds: router 1000/min, triggers 200/min)", () => {
  it("answers 429 with Retry-After once a key passes its limit; another key of the same user is unaffected", async () => {
    const community = await createCommunity();
    const owner = await createUserWithKey({ communityId: community.id, role: "owner" });
    const get = await routerWith("user=3");
    const path = `/api/v1/communities/${community.id}/commands`;
    for (let i = 0; i < 3; i++) expect((await get(path, owner.authorization)).status).toBe(200);
    const refused = await get(path, owner.authorization);
    expect(refused.status).toBe(429);
    const retryAfter = Number(refused.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThan(50);
    expect(retryAfter).toBeLessThanOrEqual(60);
    const body = await refused.json<{ success: boolean; data: { retryAfter: number }; message: string }>();
    expect(body).toMatchObject({ success: false, data: { retryAfter } });
    expect(body.message).toContain("3 per minute");

    const other = await createUserWithKey({ communityId: community.id, role: "owner" });
    expect((await get(path, other.authorization)).status).toBe(200);
  });

  it("limits by caller class: a trigger service key gets its own, smaller figure", async () => {
    const get = await routerWith("user=50,trigger=2");
    const trigger = await createUserWithKey({ serviceRole: "trigger" });
    expect((await get("/api/v1/communities", trigger.authorization)).status).toBe(200);
    expect((await get("/api/v1/communities", trigger.authorization)).status).toBe(200);
    expect((await get("/api/v1/communities", trigger.authorization)).status).toBe(429);
  });

  it("does not count requests that fail authentication against anyone", async () => {
    const get = await routerWith("user=1");
    const caller = await createUserWithKey({});
    for (let i = 0; i < 3; i++) expect((await get("/api/v1/communities", "Bearer wbk_nope")).status).toBe(401);
    expect((await get("/api/v1/communities", caller.authorization)).status).toBe(200);
  });

  it("reads API_RATE_LIMITS over the seeds' defaults and refuses a malformed value", () => {
    expect(apiLimits({})).toEqual(DEFAULT_API_LIMITS);
    expect(apiLimits({ API_RATE_LIMITS: "trigger=20" })).toEqual({ ...DEFAULT_API_LIMITS, trigger: 20 });
    expect(() => apiLimits({ API_RATE_LIMITS: "trigger=lots" })).toThrow(/API_RATE_LIMITS/);
    expect(() => apiLimits({ API_RATE_LIMITS: "robots=5" })).toThrow(/API_RATE_LIMITS/);
  });
});
