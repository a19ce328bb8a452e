import type { z } from "@hono/zod-openapi";
import { TtlCache } from "../../../../lib/cache.ts";
import type { SearchPage, SearchQuery } from "./labels.schema.ts";

type Query = z.infer<typeof SearchQuery>;
type Page = z.infer<typeof SearchPage>;

/**
 * Search answers, per community and query, for 30 s. Every label write in a community drops
 * that community's entries at once (in this isolate; other isolates see it within the TTL).
 */
const cache = new TtlCache<Page>(30_000, 500);

export const invalidateLabelSearch = (communityId: string) => cache.deletePrefix(`${communityId}|`);

const keyOf = (communityId: string, q: Query) =>
  `${communityId}|${q.type ?? "*"}|${q.match}|${q.page}|${q.pageSize}|${q.labels ? [...q.labels].sort().join(",") : "*"}`;

/** The display name of each kind of entity, joined in SQL. */
const NAME = `CASE el.entity_type
    WHEN 'user' THEN (SELECT display_name FROM users WHERE id = el.entity_id)
    WHEN 'module' THEN (SELECT name FROM modules WHERE id = el.entity_id)
    WHEN 'community' THEN (SELECT name FROM communities WHERE id = el.entity_id)
    WHEN 'memory' THEN coalesce((SELECT 'quote #' || number FROM memory_quotes WHERE id = el.entity_id), el.entity_id)
    WHEN 'inventory_item' THEN el.entity_id
  END`;

/**
 * Entities in the community carrying any (or all) of the named labels, paged, in a stable
 * order. The label names go in as one JSON parameter (D1 binds at most 100 per statement).
 */
async function run(d1: D1Database, communityId: string, q: Query): Promise<Page> {
  const where = `el.community_id = ?1 AND (?2 IS NULL OR l.normalized_name IN (SELECT value FROM json_each(?2)))
    AND (?3 IS NULL OR el.entity_type = ?3) AND el.entity_type <> 'entity_group'`;
  const having = q.match === "all" && q.labels ? `HAVING count(DISTINCT l.id) = ${q.labels.length}` : "";
  const grouped = `SELECT el.entity_type AS entityType, el.entity_id AS entityId,
      json_group_array(l.name) AS labels, ${NAME} AS name
    FROM entity_labels el JOIN labels l ON l.id = el.label_id
    WHERE ${where} GROUP BY el.entity_type, el.entity_id ${having}`;
  const binds = [communityId, q.labels ? JSON.stringify(q.labels) : null, q.type ?? null];
  const [rows, total] = await d1.batch<Record<string, unknown>>([
    d1
      .prepare(`${grouped} ORDER BY entityType, name, entityId LIMIT ?4 OFFSET ?5`)
      .bind(...binds, q.pageSize, (q.page - 1) * q.pageSize),
    d1.prepare(`SELECT count(*) AS n FROM (${grouped})`).bind(...binds),
  ]);
  return {
    items: (rows?.results ?? []).map((r) => ({
      entityType: r.entityType as Page["items"][number]["entityType"],
      entityId: String(r.entityId),
      name: String(r.name ?? r.entityId),
      labels: (JSON.parse(String(r.labels)) as string[]).sort(),
    })),
    page: q.page,
    pageSize: q.pageSize,
    total: Number(total?.results[0]?.n ?? 0),
  };
}

export function searchLabels(d1: D1Database, communityId: string, q: Query): Promise<Page> {
  return cache.getOrLoad(keyOf(communityId, q), () => run(d1, communityId, q));
}
