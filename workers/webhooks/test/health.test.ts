import { describe, expect, it } from "vitest";
import { call } from "../../../test/workerd/self.ts";

describe("webhooks health", () => {
  it("answers GET /health with 200", async () => {
    const res = await call("/health");
    expect(res.status).toBe(200);
  });

  it("checks D1, its Durable Object, and the router and identity bindings over RPC", async () => {
    const res = await call("/health/detailed");
    const body = await res.json<{ checks: Record<string, { status: string }> }>();
    expect(res.status).toBe(200);
    expect(Object.keys(body.checks).sort()).toEqual(["d1", "durableObject", "identity", "router"]);
    for (const check of Object.values(body.checks) as { status: string }[]) expect(check.status).toBe("ok");
  });
});
