import { env } from "cloudflare:workers";
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { createDb } from "../../../lib/db/client.ts";
import { auditLog, userIdentities } from "../../../lib/db/schema/index.ts";
import { snowflake } from "../../../test/shared/ids.ts";
import { call } from "../../../test/workerd/self.ts";
import { createPortalUser, freshIp, json } from "./helpers.ts";
import { tokenMailedTo } from "./mail-helpers.ts";
import { platformLogin } from "./oauth-helpers.ts";

const attempt = (email: string, password: string, ip: string) =>
  call("/api/v1/auth/login", json({ email, password }, { "cf-connecting-ip": ip }));

/** Audit rows for an action on a target: a wrong-password row is written only after the hash ran. */
const audited = (action: string, targetId: string) =>
  createDb(env.DB)
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.action, action), eq(auditLog.targetId, targetId)));

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

  it("a burst of 30 parallel wrong attempts evaluates at most 5 passwords", async () => {
    const user = await createPortalUser();
    const answers = await Promise.all(
      Array.from({ length: 30 }, () => attempt(user.email, "wrong", freshIp()).then((r) => r.status)),
    );
    expect(answers.filter((s) => s === 401)).toHaveLength(5);
    expect(answers.filter((s) => s === 429)).toHaveLength(25);
    // One failure row per evaluated password: exactly the five that got a slot.
    const evaluated = (await audited("auth.login", user.email)).filter((r) => r.outcome === "failure");
    expect(evaluated).toHaveLength(5);
    expect(await audited("auth.lockout", user.email)).toHaveLength(1);
  });

  it("locks an IP after 20 failures across accounts, and audits the lockout", async () => {
    const ip = freshIp();
    for (let i = 0; i < 20; i++) {
      expect((await attempt(`nobody-${i}@waddlebot.test`, "wrong", ip)).status).toBe(401);
    }
    const user = await createPortalUser();
    expect((await attempt(user.email, user.password, ip)).status).toBe(429);
    expect((await attempt(user.email, user.password, freshIp())).status).toBe(200);
    expect(await audited("auth.lockout", ip)).toHaveLength(1);
  });

  it("successful logins do not use up the IP's allowance", async () => {
    const user = await createPortalUser();
    const ip = freshIp();
    for (let i = 0; i < 25; i++) expect((await attempt(user.email, user.password, ip)).status).toBe(200);
  });

  it("a success clears the account's failures", async () => {
    const user = await createPortalUser();
    for (let i = 0; i < 4; i++) await attempt(user.email, "wrong", freshIp());
    expect((await attempt(user.email, user.password, freshIp())).status).toBe(200);
    for (let i = 0; i < 4; i++) expect((await attempt(user.email, "wrong", freshIp())).status).toBe(401);
    expect((await attempt(user.email, user.password, freshIp())).status).toBe(200);
  });

  it("a stranger's lockout does not keep the owner out: a password reset lets them in", async () => {
    const user = await createPortalUser();
    for (let i = 0; i < 5; i++) await attempt(user.email, "wrong", freshIp());
    expect((await attempt(user.email, user.password, freshIp())).status).toBe(429);
    expect((await call("/api/v1/auth/password-reset/request", json({ email: user.email }))).status).toBe(202);
    const token = await tokenMailedTo(user.email);
    const reset = await call("/api/v1/auth/password-reset/confirm", json({ token, password: "my own new password" }));
    expect(reset.status).toBe(200);
    expect((await attempt(user.email, "my own new password", freshIp())).status).toBe(200);
  });

  it("a stranger's lockout does not keep the owner out: a platform login still works", async () => {
    const user = await createPortalUser();
    const id = snowflake();
    await createDb(env.DB)
      .insert(userIdentities)
      .values({ userId: user.id, platform: "twitch", platformUserId: id, username: `owner${id}` });
    for (let i = 0; i < 5; i++) await attempt(user.email, "wrong", freshIp());
    expect((await attempt(user.email, user.password, freshIp())).status).toBe(429);
    const session = await platformLogin("twitch", id, `owner${id}`);
    const me = await call("/api/v1/auth/me", { headers: { cookie: session.cookie } });
    expect(await me.json()).toMatchObject({ data: { user: { id: user.id } } });
  });
});
