import { describe, expect, it } from "vitest";
import { call } from "../../../test/workerd/self.ts";
import { cookiesOf, createPortalUser, freshIp, json, login } from "./helpers.ts";

describe("POST /api/v1/auth/login", () => {
  it("signs in with the right password and sets HttpOnly, Secure, SameSite=Lax session cookie", async () => {
    const user = await createPortalUser();
    const res = await call("/api/v1/auth/login", json({ email: user.email, password: user.password }));
    expect(res.status).toBe(200);
    const session = res.headers.getSetCookie().find((c) => c.startsWith("wb_session="))!;
    expect(session).toMatch(/^wb_session=wbs_[0-9a-f]{64}; /);
    expect(session).toContain("HttpOnly");
    expect(session).toContain("Secure");
    expect(session).toContain("SameSite=Lax");
    const body = await res.json<{ success: boolean; data: { user: { id: string }; csrfToken: string } }>();
    expect(body.success).toBe(true);
    expect(body.data.user.id).toBe(user.id);
    expect(body.data.csrfToken).toBe(cookiesOf(res).wb_csrf);
  });

  it("refuses a wrong password with 401 and sets no cookie", async () => {
    const user = await createPortalUser();
    const res = await call("/api/v1/auth/login", json({ email: user.email, password: "not-the-password" }));
    expect(res.status).toBe(401);
    expect(res.headers.getSetCookie()).toEqual([]);
    expect(await res.json()).toMatchObject({ success: false, message: "Wrong email or password" });
  });

  it("answers an unknown email exactly like a wrong password", async () => {
    const res = await call("/api/v1/auth/login", json({ email: "nobody@waddlebot.test", password: "x" }));
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ message: "Wrong email or password" });
  });

  it("treats the email case-insensitively", async () => {
    const user = await createPortalUser();
    const { res } = await login(user.email.toUpperCase(), user.password);
    expect(res.status).toBe(200);
  });

  it("answers 400 with the zod issues for a body without an email", async () => {
    const res = await call("/api/v1/auth/login", json({ password: "x" }));
    expect(res.status).toBe(400);
    const body = await res.json<{ data: { path: string[] }[] }>();
    expect(body.data[0]?.path).toEqual(["email"]);
  });

  it("refuses a login posted from a foreign origin", async () => {
    const user = await createPortalUser();
    const res = await call(
      "/api/v1/auth/login",
      json({ email: user.email, password: user.password }, { origin: "https://evil.example" }),
    );
    expect(res.status).toBe(403);
  });
});

describe("GET /api/v1/auth/me and POST /api/v1/auth/logout", () => {
  it("shows the signed-in user, then nothing after logout", async () => {
    const user = await createPortalUser();
    const session = await login(user.email, user.password, freshIp());
    const me = await call("/api/v1/auth/me", { headers: { cookie: session.cookie } });
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ data: { user: { email: user.email }, via: "session" } });

    const out = await call("/api/v1/auth/logout", {
      method: "POST",
      headers: { cookie: session.cookie, "x-csrf-token": session.csrf },
    });
    expect(out.status).toBe(200);
    expect(out.headers.getSetCookie().some((c) => c.startsWith("wb_session=;") && c.includes("Max-Age=0"))).toBe(true);
    expect((await call("/api/v1/auth/me", { headers: { cookie: session.cookie } })).status).toBe(401);
  });
});
