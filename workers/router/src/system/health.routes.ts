import { z } from "@hono/zod-openapi";
import type { Hono } from "hono";
import { createApiApp, envelopeOf, errorResponses, ok } from "../../../../lib/http/openapi.ts";
import { accountRoute, type RouteEnv } from "../api.ts";
import type { Env } from "../env.ts";

const WorkerHealth = z.object({
  worker: z.string(),
  status: z.enum(["ok", "degraded", "down", "unknown"]),
  // Latency and error text are there for operators only (global admin session, core service key).
  checks: z.record(
    z.string(),
    z.object({ status: z.string(), latencyMs: z.number().optional(), error: z.string().optional() }),
  ),
  note: z.string().optional(),
});
const SystemHealth = z.object({ workers: z.array(WorkerHealth) }).openapi("SystemHealth");
type Report = z.infer<typeof WorkerHealth>;

/** Reads a /health/detailed answer (200 or 503 carry the same body) into one report. */
async function read(worker: string, get: () => Promise<Response>): Promise<Report> {
  try {
    const res = await get();
    const body = (await res.json()) as { status?: string; checks?: Report["checks"] };
    return { worker, status: body.status === "ok" ? "ok" : "degraded", checks: body.checks ?? {} };
  } catch (err) {
    return { worker, status: "down", checks: {}, note: err instanceof Error ? err.message.slice(0, 200) : "failed" };
  }
}

/**
 * `GET /api/v1/system/health` for any signed-in user: the router's own detailed health, the
 * identity worker's and the webhooks worker's (through their service bindings; the webhooks
 * worker answers its health on the `DELIVERY` binding).
 */
export function systemHealthRoutes(routerHealth: Hono<{ Bindings: Env }>) {
  const app = createApiApp<RouteEnv>();
  app.openapi(
    accountRoute({
      method: "get",
      path: "/system/health",
      tags: ["system"],
      summary: "The health of the router, identity and webhooks workers",
      permission: "system:read",
      responses: {
        200: {
          description: "Health per worker",
          content: { "application/json": { schema: envelopeOf(SystemHealth) } },
        },
        ...errorResponses(401),
      },
    }),
    async (c) => {
      // The caller's credentials go along: each worker shows error text only to operators.
      const headers = new Headers();
      for (const name of ["authorization", "cookie"]) {
        const value = c.req.header(name);
        if (value) headers.set(name, value);
      }
      const workers = await Promise.all([
        read("router", async () => routerHealth.request("/health/detailed", { headers }, c.env)),
        read("identity", () =>
          c.env.IDENTITY.fetch(new Request("https://identity.internal/health/detailed", { headers })),
        ),
        read("webhooks", () =>
          c.env.DELIVERY.fetch(new Request("https://webhooks.internal/health/detailed", { headers })),
        ),
      ]);
      return ok(c, { workers });
    },
  );
  return app;
}
