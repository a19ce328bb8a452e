import { type Context, Hono } from "hono";
import type { PingableObject } from "../../durable-objects/base.ts";
import { type Authenticator, credentialsOf } from "../auth/hono.ts";

/** A named dependency check; it throws (or rejects) when the dependency is unhealthy. */
type HealthCheck<Env> = (env: Env) => Promise<unknown>;

interface CheckResult {
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
 * May this caller read the failing dependencies' error text? Only operators: a global admin
 * signed in to the portal, or a `core` service account's key. Error text can name tables,
 * hosts or internals, so everyone else gets statuses only. Any failure to tell is a "no".
 */
async function isOperator(auth: Authenticator, c: Context): Promise<boolean> {
  if (!c.req.header("authorization") && !c.req.header("cookie")) return false;
  try {
    const principal = await auth.authenticate(credentialsOf(c));
    if (!principal) return false;
    return principal.serviceRole === "core" || (principal.via === "session" && principal.globalRole === "admin");
  } catch {
    return false;
  }
}

/**
 * `GET /health` (liveness: the isolate answers) and `GET /health/detailed` (readiness: every
 * named check runs in parallel; any failure answers 503 and names the failing part). The
 * error text and latencies go only to an operator (`isOperator` with the worker's
 * authenticator); the public sees the overall and per-check status, and the same 503.
 */
export function healthRoutes<Env extends object>(
  service: string,
  checks: Record<string, HealthCheck<Env>>,
  authenticator: (c: Context<{ Bindings: Env }>) => Authenticator,
) {
  const app = new Hono<{ Bindings: Env }>();
  app.get("/health", (c) => c.json({ status: "ok", service, timestamp: new Date().toISOString() }));
  app.get("/health/detailed", async (c) => {
    const names = Object.keys(checks);
    const [results, operator] = await Promise.all([
      Promise.all(names.map((n) => runCheck(checks[n]!, c.env))),
      isOperator(authenticator(c), c),
    ]);
    const shown = (r: CheckResult) => (operator ? r : { status: r.status });
    const detail = Object.fromEntries(names.map((n, i) => [n, shown(results[i]!)]));
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
