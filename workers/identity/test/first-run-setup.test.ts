import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { hashSetupToken, setupTokenSql } from "../../../lib/instance/first-run.ts";
import { call } from "../../../test/workerd/self.ts";
import { cookiesOf, identityRpc, json } from "./helpers.ts";

/** A token as `npm run deploy` issues it (scripts/first-run.ts runs the same SQL remotely). */
async function issueToken(now = Date.now()) {
  const { token, sql } = await setupTokenSql(now);
  await env.DB.batch(sql.map((s) => env.DB.prepare(s)));
  return token;
}
const setup = (body: Record<string, unknown>) =>
  call("/api/v1/auth/setup", json({ email: "owner@example.com", password: "a long owner password", ...body }));
const ownerCount = async () =>
  (await env.DB.prepare("SELECT count(*) AS n FROM users WHERE instance_owner = 1").first<{ n: number }>())!.n;
const userCount = async () => (await env.DB.prepare("SELECT count(*) AS n FROM users").first<{ n: number }>())!.n;

// One file, one database: the owner made by the last test stays, so the order here is the story.
describe("first run: the one-time setup URL", () => {
  it("refuses bad input, an unknown token (400) and an expired or spent one (410), creating nobody", async () => {
    const before = await userCount();
    expect((await setup({ token: "not-a-token" })).status).toBe(400);
    expect((await setup({ token: await issueToken(), password: "short" })).status).toBe(400);
    expect((await setup({ token: `wbs_${"0".repeat(64)}` })).status).toBe(400);

    const expired = await issueToken(Date.now() - 25 * 60 * 60_000);
    const res = await setup({ token: expired });
    expect(res.status).toBe(410);
    expect(await res.json()).toMatchObject({ success: false, message: expect.stringMatching(/expired/) });

    const spent = await issueToken();
    await env.DB.prepare("UPDATE instance_setup_tokens SET used_at = 1 WHERE token_hash = ?")
      .bind(await hashSetupToken(spent))
      .run();
    expect((await setup({ token: spent })).status).toBe(410);
    expect(await userCount()).toBe(before);
    expect(await ownerCount()).toBe(0);
    expect(await (await call("/api/v1/auth/setup")).json()).toMatchObject({ data: { ownerExists: false } });
  });

  it("makes one owner from a fresh token (two racing requests: one wins), signs them in, and then answers 409", async () => {
    const token = await issueToken();
    const [a, b] = await Promise.all([setup({ token }), setup({ token, email: "rival@example.com" })]);
    expect([a.status, b.status].sort()).toEqual([201, 410]);
    const winner = a.status === 201 ? a : b;
    expect(await ownerCount()).toBe(1);

    const cookie = cookiesOf(winner).wb_session;
    const principal = await identityRpc.authenticate({ cookie: `wb_session=${cookie}`, method: "GET" } as never);
    expect(principal).toMatchObject({ globalRole: "admin", instanceOwner: true });
    const audit = await env.DB.prepare(
      "SELECT outcome FROM audit_log WHERE action = 'instance.setup' AND outcome = 'success'",
    ).all();
    expect(audit.results).toHaveLength(1);

    // The same URL again, or a new one: the instance has its owner.
    expect((await setup({ token })).status).toBe(409);
    const again = await setup({ token: await issueToken(), email: "second@example.com" });
    expect(again.status).toBe(409);
    expect(await ownerCount()).toBe(1);
    expect(await (await call("/api/v1/auth/setup")).json()).toMatchObject({ data: { ownerExists: true } });
  });
});
