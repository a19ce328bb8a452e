import { describe, expect, it } from "vitest";
import { createCommunity } from "../../../test/workerd/fixtures.ts";
import { call } from "../../../test/workerd/self.ts";
import { chat, send } from "./support/router.ts";

describe("GET /metrics", () => {
  it("serves Prometheus text with events, commands, engine latency, rate limits and cache hit ratio", async () => {
    const community = await createCommunity();
    await send(chat(community, "!ping"));
    await send(chat(community, "!ping"));
    const res = await call("/metrics");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/plain/);
    const text = await res.text();
    expect(text).toMatch(/^waddlebot_router_events_total\{platform="discord",type="message"\} [1-9]\d*$/m);
    expect(text).toMatch(/^waddlebot_router_commands_total\{status="success"\} [1-9]\d*$/m);
    expect(text).toMatch(/^waddlebot_router_engine_duration_ms_count\{engine="builtin"\} [1-9]\d*$/m);
    expect(text).toMatch(/^waddlebot_router_rate_limited_total \d+$/m);
    const ratio = Number(/^waddlebot_router_config_cache_hit_ratio (\S+)$/m.exec(text)?.[1]);
    expect(ratio).toBeGreaterThan(0);
    expect(ratio).toBeLessThanOrEqual(1);
  });
});
