import { z } from "@hono/zod-openapi";

export const AnalyticsQuery = z.object({ days: z.coerce.number().int().min(1).max(90).default(30) });

const UsageDay = z.object({
  day: z.string(),
  executions: z.number(),
  errors: z.number(),
  p50Ms: z.number().nullable(),
  p95Ms: z.number().nullable(),
  uniqueUsers: z.number(),
});
export const Usage = z
  .object({
    days: z.array(UsageDay),
    totals: z.object({ executions: z.number(), errors: z.number(), uniqueUsers: z.number() }),
    /** Only in the author's view: how many communities have it installed. */
    installations: z.number().optional(),
  })
  .openapi("ModuleUsage");
export type Usage = z.infer<typeof Usage>;

const DAY_MS = 86_400_000;

/**
 * Usage of a module per UTC day from the executions the router records (module runs only: not
 * denied or rate-limited attempts, never simulations). p50/p95 are nearest-rank percentiles,
 * computed in SQL with window functions so no execution row leaves D1; unique users are a count,
 * never the ids. `communityId` null = across every community (the author's view).
 */
export async function moduleUsage(
  d1: D1Database,
  moduleId: string,
  communityId: string | null,
  days: number,
): Promise<Usage> {
  const since = Math.floor(Date.now() / DAY_MS - days + 1) * DAY_MS;
  const scope = `module_id = ?1 AND created_at >= ?2 AND simulated = 0 AND status IN ('success','error','timeout')${communityId ? " AND community_id = ?3" : ""}`;
  const binds = communityId ? [moduleId, since, communityId] : [moduleId, since];
  const perDay = `
    WITH e AS (SELECT created_at / ${DAY_MS} AS day, duration_ms, status, user_id, community_id FROM command_executions WHERE ${scope}),
    r AS (SELECT day, duration_ms, ROW_NUMBER() OVER (PARTITION BY day ORDER BY duration_ms) AS rn, COUNT(*) OVER (PARTITION BY day) AS n FROM e),
    p AS (SELECT day, MIN(CASE WHEN rn >= 0.5 * n THEN duration_ms END) AS p50, MIN(CASE WHEN rn >= 0.95 * n THEN duration_ms END) AS p95 FROM r GROUP BY day),
    c AS (SELECT day, COUNT(*) AS executions, SUM(status <> 'success') AS errors, COUNT(DISTINCT community_id || ':' || user_id) AS users FROM e GROUP BY day)
    SELECT c.day, c.executions, c.errors, c.users, p.p50, p.p95 FROM c JOIN p ON p.day = c.day ORDER BY c.day`;
  const totals = `SELECT COUNT(*) AS executions, COALESCE(SUM(status <> 'success'), 0) AS errors, COUNT(DISTINCT community_id || ':' || user_id) AS users FROM command_executions WHERE ${scope}`;
  const [dayRows, totalRows] = await d1.batch<Record<string, number>>([
    d1.prepare(perDay).bind(...binds),
    d1.prepare(totals).bind(...binds),
  ]);
  const t = totalRows?.results[0] ?? { executions: 0, errors: 0, users: 0 };
  return {
    days: (dayRows?.results ?? []).map((r) => ({
      day: new Date(r.day! * DAY_MS).toISOString().slice(0, 10),
      executions: r.executions!,
      errors: r.errors!,
      p50Ms: r.p50 ?? null,
      p95Ms: r.p95 ?? null,
      uniqueUsers: r.users!,
    })),
    totals: { executions: t.executions ?? 0, errors: t.errors ?? 0, uniqueUsers: t.users ?? 0 },
  };
}
