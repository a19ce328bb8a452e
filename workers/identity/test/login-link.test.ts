import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { issueLoginLink, LOGIN_LINK_TTL_MS, loginLinkUrl } from "../../../lib/auth/login-links.ts";
import { randomHex } from "../../../lib/crypto/encoding.ts";
import { createDb } from "../../../lib/db/client.ts";
import { auditLog, loginLinks, sessions, users } from "../../../lib/db/schema/index.ts";
import { call } from "../../../test/workerd/self.ts";
import { cookiesOf, createPortalUser } from "./helpers.ts";

const open = (token: string, headers: Record<string, string> = {}) =>
  call(loginLinkUrl("", token), { headers, redirect: "manual" });
const sessionsOf = async (userId: string) =>
  (await createDb(env.DB).select().from(sessions).where(eq(sessions.userId, userId))).length;

describe("one-time sign-in links (the npm start banner)", () => {
  it("signs in once: a session cookie, then to the portal; /me knows the user", async () => {
    const user = await createPortalUser();
    const token = await issueLoginLink(env.DB, user.id);
    const res = await open(token);
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toMatch(/\/$/);
    expect(res.headers.get("referrer-policy")).toBe("no-referrer");
    const { wb_session, wb_csrf } = cookiesOf(res);
    expect(wb_session).toBeTruthy();
    const me = await call("/api/v1/auth/me", { headers: { cookie: `wb_session=${wb_session}; wb_csrf=${wb_csrf}` } });
    expect(((await me.json()) as { data: { user: { id: string } } }).data.user.id).toBe(user.id);
    // Only the hash is stored.
    const rows = await createDb(env.DB).select().from(loginLinks).where(eq(loginLinks.userId, user.id));
    expect(rows.map((r) => r.tokenHash)).not.toContain(token);
    expect(rows[0]?.usedAt).toBeTruthy();
  });

  it("a reused link gets a clear 410 page and no session", async () => {
    const user = await createPortalUser();
    const token = await issueLoginLink(env.DB, user.id);
    expect((await open(token)).status).toBe(303);
    const again = await open(token);
    expect(again.status).toBe(410);
    expect(again.headers.get("content-type")).toMatch(/text\/html/);
    expect(await again.text()).toContain("already used or has expired");
    expect(again.headers.getSetCookie()).toEqual([]);
    expect(await sessionsOf(user.id)).toBe(1);
  });

  it("an expired link, or one a newer link replaced, gets 410 and no session", async () => {
    const user = await createPortalUser();
    const expired = await issueLoginLink(env.DB, user.id, Date.now() - LOGIN_LINK_TTL_MS - 1000);
    const res = await open(expired);
    expect(res.status).toBe(410);
    expect(res.headers.getSetCookie()).toEqual([]);
    const older = await issueLoginLink(env.DB, user.id);
    await issueLoginLink(env.DB, user.id);
    expect((await open(older)).status).toBe(410);
    expect(await sessionsOf(user.id)).toBe(0);
  });

  it("a forged, malformed or missing token gets 400 and no session; the failure is audited", async () => {
    for (const token of [`wbl_${randomHex(32)}`, "wbl_123", "", `<script>${"a".repeat(60)}`]) {
      const res = await open(token);
      expect(res.status, token).toBe(400);
      expect(res.headers.getSetCookie()).toEqual([]);
      expect(await res.text()).not.toContain("<script>");
    }
    const failures = await createDb(env.DB).select().from(auditLog).where(eq(auditLog.targetType, "login_link"));
    expect(failures.map((f) => (f.details as { reason: string }).reason)).toEqual(
      expect.arrayContaining(["unknown", "malformed"]),
    );
  });

  it("refuses a navigation from another site without spending the link, and a disabled account", async () => {
    const user = await createPortalUser();
    const token = await issueLoginLink(env.DB, user.id);
    const foreign = await open(token, { "sec-fetch-site": "cross-site" });
    expect(foreign.status).toBe(403);
    expect(foreign.headers.getSetCookie()).toEqual([]);
    expect((await open(token, { "sec-fetch-site": "none" })).status).toBe(303);

    const disabled = await createPortalUser();
    await createDb(env.DB).update(users).set({ disabledAt: new Date() }).where(eq(users.id, disabled.id));
    const res = await open(await issueLoginLink(env.DB, disabled.id));
    expect(res.status).toBe(403);
    expect(await sessionsOf(disabled.id)).toBe(0);
  });
});
