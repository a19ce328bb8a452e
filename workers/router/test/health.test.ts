import { createExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { healthRoutes } from "../../../lib/http/health.ts";
import { serviceKey } from "../../../test/workerd/operators.ts";
import { call } from "../../../test/workerd/self.ts";
import type { Env } from "../src/env.ts";
import Router from "../src/index.ts";

const get = call;

describe("router health", () => {
  it("answers GET /health with 200", async () => {
    const res = await get("/health");
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: "ok", service: "router" });
  });

  it("checks D1, a Durable Object round trip and the identity, delivery and modules bindings", async () => {
    const res = await get("/health/detailed");
    const body = await res.json<{ status: string; checks: Record<string, { status: string }> }>();
    expect(res.status).toBe(200);
    expect(body.status).toBe("ok");
    expect(Object.keys(body.checks).sort()).toEqual(["d1", "delivery", "durableObject", "identity", "modules"]);
    for (const check of Object.values(body.checks) as { status: string }[]) expect(check.status).toBe("ok");
  });

  it("is degraded, naming the part, when the modules binding is missing or the delivery service fails", async () => {
    const detailed = async (overrides: Partial<Env>) => {
      const router = new Router(createExecutionContext(), { ...(env as unknown as Env), ...overrides });
      const res = await router.fetch(new Request("http://worker.test/health/detailed"));
      return { status: res.status, body: await res.json<{ failing: string[] }>() };
    };
    expect(await detailed({ MODULES: undefined })).toMatchObject({ status: 503, body: { failing: ["modules"] } });
    const refusing = { ping: () => Promise.reject(new Error("down")) } as unknown as Env["DELIVERY"];
    expect(await detailed({ DELIVERY: refusing })).toMatchObject({ status: 503, body: { failing: ["delivery"] } });
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
