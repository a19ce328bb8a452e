import { describe, expect, it } from "vitest";
import { call } from "../../../test/workerd/self.ts";

// test/support/test-vars.ts allows this origin; any other is foreign.
const ALLOWED = "https://tools.waddlebot.test";

const preflight = (origin: string) =>
  call("/api/v1/auth/login", {
    method: "OPTIONS",
    headers: { origin, "access-control-request-method": "POST", "access-control-request-headers": "content-type" },
  });

describe("CORS on the identity worker's own origin", () => {
  it("answers an allowed origin's preflight with 204, its origin and credentials", async () => {
    const res = await preflight(ALLOWED);
    expect(res.status).toBe(204);
    expect(res.headers.get("access-control-allow-origin")).toBe(ALLOWED);
    expect(res.headers.get("access-control-allow-credentials")).toBe("true");
    expect(res.headers.get("access-control-allow-methods")).toContain("POST");
  });

  it("gives a foreign origin a 403 preflight and no ACAO header on a real request", async () => {
    const pre = await preflight("https://evil.example");
    expect(pre.status).toBe(403);
    expect(pre.headers.get("access-control-allow-origin")).toBeNull();
    const res = await call("/api/v1/auth/me", { headers: { origin: "https://evil.example" } });
    expect(res.headers.get("access-control-allow-origin")).toBeNull();
    expect(res.headers.get("access-control-allow-credentials")).toBeNull();
  });
});
