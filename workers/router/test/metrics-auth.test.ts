import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createApp } from "../../../lib/http/app.ts";
import type { AppEnv, Env } from "../src/env.ts";
import { metricsRoutes } from "../src/metrics.ts";

/** The deployed worker's settings: not local, with or without a metrics token. */
const deployed = (token?: string): Env => ({
  ...(env as unknown as Env),
  WADDLEBOT_ENV: "production",
  METRICS_TOKEN: token,
});
// Mounted the way the router mounts it, so its errors get the router's one onError.
const app = createApp<AppEnv>().route("/", metricsRoutes);
const scrape = (settings: Env, authorization?: string) =>
  app.request("/metrics", { headers: authorization ? { authorization } : {} }, settings);

describe("GET /metrics outside the local system", () => {
  it("answers 503 'metrics not configured' when METRICS_TOKEN is unset, whatever is presented", async () => {
    for (const authorization of [undefined, "Bearer anything", "Bearer "]) {
      const res = await scrape(deployed(), authorization);
      expect(res.status).toBe(503);
      const body = await res.json<{ success: boolean; message: string }>();
      expect(body).toMatchObject({ success: false });
      expect(body.message).toMatch(/metrics not configured/);
    }
  });

  it("refuses a missing, wrong, truncated or differently-cased token with 401", async () => {
    const token = crypto.randomUUID();
    for (const authorization of [
      undefined,
      `Bearer ${token.slice(0, -1)}`,
      `Bearer ${token}x`,
      `Bearer ${token.toUpperCase()}`,
      token,
      `Basic ${token}`,
    ]) {
      const res = await scrape(deployed(token), authorization);
      expect(res.status, String(authorization)).toBe(401);
      expect(await res.text()).not.toContain("waddlebot_router");
    }
  });

  it("serves the counters to the right Bearer token", async () => {
    const token = crypto.randomUUID();
    const res = await scrape(deployed(token), `Bearer ${token}`);
    expect(res.status).toBe(200);
    expect(await res.text()).toMatch(/^waddlebot_router_rate_limited_total \d+$/m);
  });

  it("keeps the local system convenient: no token set, no token needed", async () => {
    const local = { ...(env as unknown as Env), WADDLEBOT_ENV: "local", METRICS_TOKEN: undefined };
    expect((await scrape(local)).status).toBe(200);
  });
});
