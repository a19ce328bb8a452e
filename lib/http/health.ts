import { Hono } from "hono";
import type { PingableObject } from "../../durable-objects/base.ts";

/** A named dependency check; it throws (or rejects) when the dependency is unhealthy. */
export type HealthCheck<Env> = (env: Env) => Promise<unknown>;

export interface CheckResult {
  status: "ok" | "fail";
  latencyMs: number;
  error?: string;
}

const CHECK_TIMEOUT_MS = 2_000;

async function runCheck<Env>(check: HealthCheck<Env>, env: Env): Promise<CheckResult> {
  const started = Date.now();
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    await Promise.race([
      check(env),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error("timed out")), CHECK_TIMEOUT_MS);
      }),
    ]);
    return { status: "ok", latencyMs: Date.now() - started };
  } catch (err) {
    // The name of the failing part is the point; its message is kept short and generic-safe.
    const error = err instanceof Error ? err.message.slice(0, 200) : "failed";
    return { status: "fail", latencyMs: Date.now() - started, error };
  } finally {
    if (timer !== undefined) clearTimeout(timer);
  }
}

/**
 * `GET /health` (liveness: the isolate answers) and `GET /health/detailed` (readiness: every
 * named check runs in parallel; any failure answers 503 and names the failing part).
 */
export function healthRoutes<Env extends object>(service: string, checks: Record<string, HealthCheck<Env>>) {
  const app = new Hono<{ Bindings: Env }>();
  app.get("/health", (c) => c.json({ status: "ok", service, timestamp: new Date().toISOString() }));
  app.get("/health/detailed", async (c) => {
    const names = Object.keys(checks);
    const results = await Promise.all(names.map((n) => runCheck(checks[n]!, c.env)));
    const detail = Object.fromEntries(names.map((n, i) => [n, results[i]]));
    const failing = names.filter((_, i) => results[i]!.status === "fail");
    const body = {
      status: failing.length === 0 ? "ok" : "degraded",
      service,
      failing,
      checks: detail,
      timestamp: new Date().toISOString(),
    };
    return c.json(body, failing.length === 0 ? 200 : 503);
  });
  return app;
}

/** The standard checks: a real D1 query, a Durable Object round trip, an RPC ping. */
export const checks = {
  d1: (db: D1Database) => db.prepare("SELECT count(*) AS n FROM communities").first(),
  durableObject: async <T extends PingableObject>(ns: DurableObjectNamespace<T>) => {
    const stub = ns.get(ns.idFromName("health"));
    const pong: unknown = await (stub as unknown as { ping(): Promise<string> }).ping();
    if (pong !== "pong") throw new Error("unexpected ping reply");
  },
  service: async (binding: { ping(): Promise<string> }) => {
    const pong = await binding.ping();
    if (pong !== "pong") throw new Error("unexpected ping reply");
  },
};
