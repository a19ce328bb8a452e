import { Hono } from "hono";
import { isLocal } from "../../../lib/config.ts";
import { secretEquals } from "../../../lib/crypto/compare.ts";
import { ServiceUnavailable, Unauthorized } from "../../../lib/http/errors.ts";
import type { AppEnv } from "./env.ts";
import { configCacheStats } from "./router-config.ts";

/**
 * Counters for `GET /metrics` (Prometheus text). They live in isolate memory, so each isolate
 * reports its own since it started (Prometheus sums and rates cope with resets); no Durable
 * Object sits on the hot path for them.
 */
const events = new Map<string, number>();
const commands = new Map<string, number>();
const engineLatency = new Map<string, { count: number; sumMs: number; buckets: number[] }>();
let rateLimited = 0;
const BUCKETS_MS = [1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000];

const bump = (map: Map<string, number>, key: string) => map.set(key, (map.get(key) ?? 0) + 1);

export const metrics = {
  event(platform: string, type: string) {
    bump(events, `platform="${platform}",type="${type}"`);
  },
  command(status: string) {
    bump(commands, `status="${status}"`);
  },
  rateLimited() {
    rateLimited++;
  },
  engine(engine: string, ms: number) {
    let h = engineLatency.get(engine);
    if (!h) {
      h = { count: 0, sumMs: 0, buckets: BUCKETS_MS.map(() => 0) };
      engineLatency.set(engine, h);
    }
    h.count++;
    h.sumMs += ms;
    for (let i = 0; i < BUCKETS_MS.length; i++) if (ms <= BUCKETS_MS[i]!) h.buckets[i]!++;
  },
};

/** The Prometheus text exposition of the counters. */
function renderMetrics(): string {
  const out: string[] = [];
  const family = (name: string, type: string, help: string) =>
    out.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
  family("waddlebot_router_events_total", "counter", "Events received, by platform and type");
  for (const [labels, n] of events) out.push(`waddlebot_router_events_total{${labels}} ${n}`);
  family("waddlebot_router_commands_total", "counter", "Command executions, by status");
  for (const [labels, n] of commands) out.push(`waddlebot_router_commands_total{${labels}} ${n}`);
  family("waddlebot_router_rate_limited_total", "counter", "Commands refused by a rate limit or cooldown");
  out.push(`waddlebot_router_rate_limited_total ${rateLimited}`);
  family("waddlebot_router_engine_duration_ms", "histogram", "Execution latency per engine, milliseconds");
  for (const [engine, h] of engineLatency) {
    BUCKETS_MS.forEach((le, i) => {
      out.push(`waddlebot_router_engine_duration_ms_bucket{engine="${engine}",le="${le}"} ${h.buckets[i]}`);
    });
    out.push(`waddlebot_router_engine_duration_ms_bucket{engine="${engine}",le="+Inf"} ${h.count}`);
    out.push(`waddlebot_router_engine_duration_ms_sum{engine="${engine}"} ${h.sumMs}`);
    out.push(`waddlebot_router_engine_duration_ms_count{engine="${engine}"} ${h.count}`);
  }
  const { hits, misses } = configCacheStats();
  family(
    "waddlebot_router_config_cache_hit_ratio",
    "gauge",
    "Share of command-registry lookups served from the isolate cache",
  );
  out.push(`waddlebot_router_config_cache_hit_ratio ${hits + misses === 0 ? 0 : hits / (hits + misses)}`);
  family("waddlebot_router_config_cache_lookups_total", "counter", "Command-registry cache lookups, by result");
  out.push(`waddlebot_router_config_cache_lookups_total{result="hit"} ${hits}`);
  out.push(`waddlebot_router_config_cache_lookups_total{result="miss"} ${misses}`);
  return `${out.join("\n")}\n`;
}

/**
 * `GET /metrics`, behind `Authorization: Bearer $METRICS_TOKEN` (compared in constant time).
 * A deployed worker without the token answers 503 rather than publishing its counters; only
 * the local system (`WADDLEBOT_ENV=local`) serves them without one.
 */
export const metricsRoutes = new Hono<AppEnv>().get("/metrics", async (c) => {
  const token = c.env.METRICS_TOKEN;
  if (!token && !isLocal(c.env)) throw new ServiceUnavailable("metrics not configured: set METRICS_TOKEN");
  if (token) {
    const presented = c.req.header("authorization")?.match(/^Bearer\s+(\S+)$/i)?.[1];
    if (!presented || !(await secretEquals(presented, token))) throw new Unauthorized();
  }
  return c.text(renderMetrics(), 200, { "content-type": "text/plain; version=0.0.4" });
});
