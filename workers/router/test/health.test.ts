import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { healthRoutes } from "../../../lib/http/health.ts";
import { serviceKey } from "../../../test/workerd/operators.ts";
import { call } from "../../../test/workerd/self.ts";
import type { Env } from "../src/env.ts";

const get = call;

describe("router health", () => {
  it("answers GET /health with 200", async () => {
    const res = await get("/health");
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: "ok", service: "router" });
  });

  it("checks D1, a Durable Object round trip and the identity binding", async () => {
    const res = await get("/health/detailed");
    const body = await res.json<{ status: string; checks: Record<string, { status: string }> }>();
    expect(res.status).toBe(200);
    expect(body.status).toBe("ok");
    expect(Object.keys(body.checks).sort()).toEqual(["d1", "durableObject", "identity"]);
    for (const check of Object.values(body.checks) as { status: string }[]) expect(check.status).toBe("ok");
  });

  it("answers 503 and names the failing part when a check fails (error text for operators only)", async () => {
    const app = healthRoutes(
      "x",
      {
        good: async () => "ok",
        broken: async () => {
          throw new Error("boom");
        },
      },
      () => (env as unknown as Env).IDENTITY,
    );
    const anonymous = await app.request("/health/detailed", {}, env);
    expect(anonymous.status).toBe(503);
    const body = await anonymous.json<{ failing: string[]; checks: Record<string, { error?: string }> }>();
    expect(body.failing).toEqual(["broken"]);
    expect(body.checks.broken).toEqual({ status: "fail" });
    const operator = await app.request(
      "/health/detailed",
      { headers: { authorization: await serviceKey("core") } },
      env,
    );
    expect(operator.status).toBe(503);
    expect((await operator.json<{ checks: Record<string, { error?: string }> }>()).checks.broken?.error).toBe("boom");
  });

  it("answers unknown routes with a JSON 404 envelope", async () => {
    const res = await get("/no/such/route");
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ success: false, message: "No such route", data: null });
  });

  it("serves the OpenAPI document", async () => {
    const res = await get("/api/v1/openapi.json");
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ openapi: "3.1.0" });
  });
});
