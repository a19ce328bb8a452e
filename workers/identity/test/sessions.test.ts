import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { createDb } from "../../../lib/db/client.ts";
import { sessions } from "../../../lib/db/schema/index.ts";
import { call } from "../../../test/workerd/self.ts";
import { sha256Hex } from "../src/crypto.ts";
import { identityRpc, signedIn } from "./helpers.ts";

const me = (cookie: string) => call("/api/v1/auth/me", { headers: { cookie } });
const rowOf = async (token: string) =>
  createDb(env.DB)
    .select()
    .from(sessions)
    .where(eq(sessions.tokenHash, await sha256Hex(token)))
    .get();

describe("sessions", () => {
  it("stores only the SHA-256 of the session token", async () => {
    const user = await signedIn();
    const row = await rowOf(user.token);
    expect(row).toBeDefined();
    expect(JSON.stringify(row)).not.toContain(user.token);
  });

  it("an expired session is refused with 401 and removed", async () => {
    const user = await signedIn();
    await createDb(env.DB)
      .update(sessions)
      .set({ expiresAt: new Date(Date.now() - 1) })
      .where(eq(sessions.tokenHash, await sha256Hex(user.token)));
    expect((await me(user.cookie)).status).toBe(401);
    expect(await rowOf(user.token)).toBeUndefined();
  });

  it("slides the expiry forward on use (one hour from the last request)", async () => {
    const user = await signedIn();
    const past = Date.now() - 30 * 60_000;
    await createDb(env.DB)
      .update(sessions)
      .set({ lastSeenAt: new Date(past), expiresAt: new Date(past + 3600_000) })
      .where(eq(sessions.tokenHash, await sha256Hex(user.token)));
    expect((await me(user.cookie)).status).toBe(200);
    const row = await rowOf(user.token);
    expect(row!.expiresAt.getTime()).toBeGreaterThan(Date.now() + 3590_000);
  });

  it("ends a session a week after it began, however active", async () => {
    const user = await signedIn();
    await createDb(env.DB)
      .update(sessions)
      .set({ createdAt: new Date(Date.now() - 8 * 86_400_000) })
      .where(eq(sessions.tokenHash, await sha256Hex(user.token)));
    expect((await me(user.cookie)).status).toBe(401);
  });

  it("refuses a forged cookie (well-formed, never issued)", async () => {
    expect((await me(`wb_session=wbs_${"a".repeat(64)}`)).status).toBe(401);
  });

  it("refuses a tampered cookie (one character changed)", async () => {
    const user = await signedIn();
    const last = user.token.at(-1) === "0" ? "1" : "0";
    expect((await me(`wb_session=${user.token.slice(0, -1)}${last}`)).status).toBe(401);
    expect((await me(`wb_session=${user.token}x`)).status).toBe(401);
    expect((await me("wb_session=../../etc/passwd")).status).toBe(401);
  });

  it("authenticates a session over RPC exactly as over HTTP", async () => {
    const user = await signedIn();
    const rpc = identityRpc;
    const base = { authorization: null, origin: null, csrfToken: null, ip: null, requestId: null };
    const principal = await rpc.authenticate({ ...base, cookie: user.cookie, method: "GET" });
    expect(principal).toMatchObject({ userId: user.id, via: "session" });
    expect(await rpc.authenticate({ ...base, cookie: user.cookie, method: "POST" })).toBeNull();
    expect(await rpc.authenticateDetailed({ ...base, cookie: user.cookie, method: "POST" })).toEqual({
      principal: null,
      failure: "csrf",
    });
    expect(
      await rpc.authenticate({ ...base, cookie: user.cookie, method: "POST", csrfToken: user.csrf }),
    ).toMatchObject({ userId: user.id });
  });
});
