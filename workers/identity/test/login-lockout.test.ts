import { describe, expect, it } from "vitest";
import { call } from "../../../test/workerd/self.ts";
import { createPortalUser, freshIp, json } from "./helpers.ts";

const attempt = (email: string, password: string, ip: string) =>
  call("/api/v1/auth/login", json({ email, password }, { "cf-connecting-ip": ip }));

describe("login rate limits", () => {
  it("locks an account after 5 failures: even the right password gets 429 with Retry-After", async () => {
    const user = await createPortalUser();
    for (let i = 0; i < 5; i++) expect((await attempt(user.email, "wrong", freshIp())).status).toBe(401);
    const res = await attempt(user.email, user.password, freshIp());
    expect(res.status).toBe(429);
    const retryAfter = Number(res.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(15 * 60);
  });

  it("locks an IP after 20 failures across accounts", async () => {
    const ip = freshIp();
    for (let i = 0; i < 20; i++) {
      expect((await attempt(`nobody-${i}@waddlebot.test`, "wrong", ip)).status).toBe(401);
    }
    const user = await createPortalUser();
    expect((await attempt(user.email, user.password, ip)).status).toBe(429);
    expect((await attempt(user.email, user.password, freshIp())).status).toBe(200);
  });

  it("a success clears the account's failures", async () => {
    const user = await createPortalUser();
    for (let i = 0; i < 4; i++) await attempt(user.email, "wrong", freshIp());
    expect((await attempt(user.email, user.password, freshIp())).status).toBe(200);
    for (let i = 0; i < 4; i++) expect((await attempt(user.email, "wrong", freshIp())).status).toBe(401);
    expect((await attempt(user.email, user.password, freshIp())).status).toBe(200);
  });
});
