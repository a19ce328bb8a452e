import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createApp } from "../../../lib/http/app.ts";
import { allowedOrigins, apiCors } from "../../../lib/http/cors.ts";
import { createCommunity, createUserWithKey } from "../../../test/workerd/fixtures.ts";
import { call } from "../../../test/workerd/self.ts";

// The test settings allow these two (test/support/test-vars.ts); anything else is foreign.
const ALLOWED = "https://tools.waddlebot.test";
const ALLOWED_WITH_PORT = "https://admin.waddlebot.test:8443";
const FOREIGN = "https://evil.example";

const preflight = (path: string, origin: string, method = "POST") =>
  call(path, {
    method: "OPTIONS",
    headers: {
      origin,
      "access-control-request-method": method,
      "access-control-request-headers": "authorization, content-type",
    },
  });

const CORS_HEADERS = [
  "access-control-allow-origin",
  "access-control-allow-credentials",
  "access-control-allow-methods",
  "access-control-allow-headers",
  "access-control-expose-headers",
];

describe("CORS on the router's API", () => {
  it("answers an allowed origin's preflight with 204 and the CORS headers, credentials included", async () => {
    const community = await createCommunity();
    for (const origin of [ALLOWED, ALLOWED_WITH_PORT]) {
      const res = await preflight(`/api/v1/communities/${community.id}/commands`, origin);
      expect(res.status, origin).toBe(204);
      expect(res.headers.get("access-control-allow-origin")).toBe(origin);
      expect(res.headers.get("access-control-allow-credentials")).toBe("true");
      expect(res.headers.get("access-control-allow-methods")).toContain("PATCH");
      expect(res.headers.get("access-control-allow-headers")?.toLowerCase()).toContain("authorization");
      expect(res.headers.get("access-control-allow-headers")?.toLowerCase()).toContain("x-csrf-token");
      expect(res.headers.get("vary")).toContain("Origin");
    }
  });

  it("refuses a foreign origin's preflight with 403 and no CORS header", async () => {
    for (const origin of [
      FOREIGN,
      "https://tools.waddlebot.test.evil.example",
      "http://tools.waddlebot.test",
      "null",
    ]) {
      const res = await preflight("/api/v1/keys", origin);
      expect(res.status, origin).toBe(403);
      for (const name of CORS_HEADERS) expect(res.headers.get(name), `${origin} ${name}`).toBeNull();
    }
  });

  it("gives a foreign origin's real request no ACAO header (the browser hides the answer), an allowed one gets it", async () => {
    const community = await createCommunity();
    const { authorization } = await createUserWithKey({ communityId: community.id, role: "admin" });
    const path = `/api/v1/communities/${community.id}/commands`;
    const foreign = await call(path, { headers: { origin: FOREIGN, authorization } });
    for (const name of CORS_HEADERS) expect(foreign.headers.get(name), name).toBeNull();
    const allowed = await call(path, { headers: { origin: ALLOWED, authorization } });
    expect(allowed.status).toBe(200);
    expect(allowed.headers.get("access-control-allow-origin")).toBe(ALLOWED);
    expect(allowed.headers.get("access-control-allow-credentials")).toBe("true");
  });

  it("puts the CORS headers on errors too, so an allowed page can read the 401", async () => {
    const res = await call("/api/v1/keys", { headers: { origin: ALLOWED } });
    expect(res.status).toBe(401);
    expect(res.headers.get("access-control-allow-origin")).toBe(ALLOWED);
  });

  it("covers the identity paths the router serves on its origin", async () => {
    const res = await preflight("/api/v1/auth/login", ALLOWED);
    expect(res.status).toBe(204);
    expect(res.headers.get("access-control-allow-origin")).toBe(ALLOWED);
  });
});

describe("CORS_ORIGINS unset: same-origin only", () => {
  const app = createApp<{ Bindings: Record<string, string> }>();
  app.use("/api/*", apiCors());
  app.get("/api/thing", (c) => c.json({ ok: true }));
  const settings = { ...(env as unknown as Record<string, string>), CORS_ORIGINS: "" };

  it("sends no CORS header to any origin and refuses every cross-origin preflight", async () => {
    const pre = await app.request(
      "/api/thing",
      { method: "OPTIONS", headers: { origin: ALLOWED, "access-control-request-method": "GET" } },
      settings,
    );
    expect(pre.status).toBe(403);
    expect(pre.headers.get("access-control-allow-origin")).toBeNull();
    const res = await app.request("/api/thing", { headers: { origin: ALLOWED } }, settings);
    expect(res.status).toBe(200);
    expect(res.headers.get("access-control-allow-origin")).toBeNull();
    expect(res.headers.get("access-control-allow-credentials")).toBeNull();
  });

  it("never takes a wildcard or a non-http origin from the setting", () => {
    expect([...allowedOrigins("*, file:///etc, javascript:alert(1), https://ok.example/path")]).toEqual([
      "https://ok.example",
    ]);
  });
});
