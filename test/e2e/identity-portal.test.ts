import { describe, expect, inject, it } from "vitest";

const urls = inject("urls");
const vars = inject("vars");

type Session = { cookie: string; csrf: string };

/** Signs in as the seeded admin, over HTTP, like the portal would. */
async function adminSession(): Promise<Session> {
  const res = await fetch(`${urls.identity}/api/v1/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email: vars.ADMIN_EMAIL, password: vars.ADMIN_PASSWORD }),
  });
  expect(res.status).toBe(200);
  const cookies = Object.fromEntries(
    res.headers.getSetCookie().map((c) => {
      const pair = c.split(";")[0]!;
      return [pair.slice(0, pair.indexOf("=")), pair.slice(pair.indexOf("=") + 1)];
    }),
  );
  return { cookie: `wb_session=${cookies.wb_session}`, csrf: cookies.wb_csrf! };
}

describe("identity over HTTP against the local system", () => {
  it("the seeded admin signs in; the session cookie is HttpOnly, Secure, SameSite=Lax", async () => {
    const res = await fetch(`${urls.identity}/api/v1/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: vars.ADMIN_EMAIL, password: vars.ADMIN_PASSWORD }),
    });
    expect(res.status).toBe(200);
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith("wb_session="))!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/Secure/);
    expect(cookie).toMatch(/SameSite=Lax/);
  });

  it("refuses a wrong password with 401", async () => {
    const res = await fetch(`${urls.identity}/api/v1/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: "not-the-admin@waddlebot.test", password: "wrong" }),
    });
    expect(res.status).toBe(401);
  });

  it("makes an API key with the session (CSRF token required) that works on the router's admin API", async () => {
    const session = await adminSession();
    const noCsrf = await fetch(`${urls.identity}/api/v1/keys`, {
      method: "POST",
      headers: { cookie: session.cookie, "content-type": "application/json" },
      body: JSON.stringify({ name: "e2e" }),
    });
    expect(noCsrf.status).toBe(403);

    const made = await fetch(`${urls.identity}/api/v1/keys`, {
      method: "POST",
      headers: { cookie: session.cookie, "x-csrf-token": session.csrf, "content-type": "application/json" },
      body: JSON.stringify({ name: "e2e" }),
    });
    expect(made.status).toBe(201);
    const { data } = (await made.json()) as { data: { id: string; key: string } };

    // The router asks identity over RPC: the key works there too.
    const bearer = { authorization: `Bearer ${data.key}` };
    expect((await fetch(`${urls.router}/api/v1/communities`, { headers: bearer })).status).toBe(200);

    const revoked = await fetch(`${urls.identity}/api/v1/keys/${data.id}`, {
      method: "DELETE",
      headers: { cookie: session.cookie, "x-csrf-token": session.csrf },
    });
    expect(revoked.status).toBe(200);
    expect((await fetch(`${urls.router}/api/v1/communities`, { headers: bearer })).status).toBe(401);
  });

  it("the admin reads the audit trail, which shows the logins", async () => {
    const session = await adminSession();
    const res = await fetch(`${urls.identity}/api/v1/audit?action=auth.login`, { headers: { cookie: session.cookie } });
    expect(res.status).toBe(200);
    const { data } = (await res.json()) as { data: { outcome: string }[] };
    expect(data.some((e) => e.outcome === "success")).toBe(true);
  });

  it("logout ends the session", async () => {
    const session = await adminSession();
    const out = await fetch(`${urls.identity}/api/v1/auth/logout`, {
      method: "POST",
      headers: { cookie: session.cookie, "x-csrf-token": session.csrf },
    });
    expect(out.status).toBe(200);
    expect((await fetch(`${urls.identity}/api/v1/auth/me`, { headers: { cookie: session.cookie } })).status).toBe(401);
  });
});
