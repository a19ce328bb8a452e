import { createDb, type Database } from "../../../../lib/db/client.ts";
import { HttpError } from "../../../../lib/http/errors.ts";
import { allLabels, findLabel, type LabelRow } from "./labels.repo.ts";
import { type BULK_ENTITY_TYPES, BulkOperation, MAX_LABELS_PER_ENTITY } from "./labels.schema.ts";

interface BulkChange {
  entityType: BulkEntityType;
  entityId: string;
  labelId: string;
  added: boolean;
}
interface BulkInvalidItem {
  index: number;
  reason: string;
}
type BulkEntityType = (typeof BULK_ENTITY_TYPES)[number];
type Entity = { t: BulkEntityType; id: string };

/** 400 listing every invalid item; nothing was applied. */
class BulkRejected extends HttpError {
  constructor(invalid: BulkInvalidItem[]) {
    super(400, `${invalid.length} of the operations are invalid: none was applied`, invalid);
  }
}

/** Long id lists go in as one JSON parameter: D1 binds at most 100 parameters per statement. */
const jsonList = (values: unknown[]) => JSON.stringify(values);
// The type never holds a "|", so the first one splits a key back into type and id.
const keyOf = (e: Entity) => `${e.t}|${e.id}`;

/**
 * The entities of the request that exist in this community: members, quotes (by row id) and
 * url/note entries (`url:<name>`), item kinds someone holds. One statement, ids as JSON.
 */
async function existing(d1: D1Database, communityId: string, entities: Entity[]): Promise<Set<string>> {
  const { results } = await d1
    .prepare(
      `SELECT 'user|' || user_id AS k FROM community_members WHERE community_id = ?1
         AND user_id IN (SELECT json_extract(value, '$.id') FROM json_each(?2) WHERE json_extract(value, '$.t') = 'user')
       UNION SELECT 'memory|' || id FROM memory_quotes WHERE community_id = ?1
         AND id IN (SELECT json_extract(value, '$.id') FROM json_each(?2) WHERE json_extract(value, '$.t') = 'memory')
       UNION SELECT 'memory|' || kind || ':' || name FROM memory_entries WHERE community_id = ?1
         AND kind || ':' || name IN (SELECT json_extract(value, '$.id') FROM json_each(?2) WHERE json_extract(value, '$.t') = 'memory')
       UNION SELECT DISTINCT 'inventory_item|' || item FROM inventory_items WHERE community_id = ?1
         AND item IN (SELECT json_extract(value, '$.id') FROM json_each(?2) WHERE json_extract(value, '$.t') = 'inventory_item')`,
    )
    .bind(communityId, jsonList(entities))
    .all<{ k: string }>();
  return new Set(results.map((r) => r.k));
}

async function currentLabels(d1: D1Database, communityId: string, entities: Entity[]) {
  const { results } = await d1
    .prepare(
      `SELECT entity_type AS t, entity_id AS id, label_id FROM entity_labels WHERE community_id = ?
         AND (entity_type, entity_id) IN (SELECT json_extract(value, '$.t'), json_extract(value, '$.id') FROM json_each(?))`,
    )
    .bind(communityId, jsonList(entities))
    .all<{ t: BulkEntityType; id: string; label_id: string }>();
  const byEntity = new Map<string, Set<string>>();
  for (const r of results) {
    const set = byEntity.get(keyOf(r)) ?? new Set();
    set.add(r.label_id);
    byEntity.set(keyOf(r), set);
  }
  return byEntity;
}

const NOT_FOUND: Record<BulkEntityType, string> = {
  user: "the user is not a member of this community",
  memory: "no such quote, url or note in this community",
  inventory_item: "no one in this community holds that item",
};

/**
 * Plans a bulk request against the store as it is: every item is checked in order (its shape,
 * the label, that the entity exists here, the per-entity limit as the earlier items leave it),
 * and every invalid item is reported. Only the net difference is returned: add-then-remove of
 * one pair is nothing.
 */
async function planBulk(
  db: Database,
  d1: D1Database,
  communityId: string,
  operations: unknown[],
): Promise<{ changes: BulkChange[]; invalid: BulkInvalidItem[]; catalogue: LabelRow[] }> {
  const invalid: BulkInvalidItem[] = [];
  const parsed = operations.map((item, index) => {
    const r = BulkOperation.safeParse(item);
    if (!r.success) {
      const issues = r.error.issues.map((i) => `${i.path.join(".") || "item"}: ${i.message}`);
      invalid.push({ index, reason: issues.join("; ") });
      return null;
    }
    const d = r.data;
    const entity: Entity = d.userId ? { t: "user", id: d.userId } : { t: d.entityType!, id: d.entityId! };
    return { op: d.op, label: d.label, entity };
  });
  const entities = [...new Map(parsed.flatMap((p) => (p ? [[keyOf(p.entity), p.entity] as const] : []))).values()];
  const [catalogue, found, before] = await Promise.all([
    allLabels(db, communityId),
    existing(d1, communityId, entities),
    currentLabels(d1, communityId, entities),
  ]);
  const state = new Map([...before].map(([k, s]) => [k, new Set(s)]));
  for (const [index, op] of parsed.entries()) {
    if (!op) continue;
    const label = findLabel(catalogue, op.label);
    const key = keyOf(op.entity);
    const set = state.get(key) ?? new Set<string>();
    let reason: string | null = null;
    if (!label) reason = `no label "${op.label}" in this community`;
    else if (!found.has(key)) reason = NOT_FOUND[op.entity.t];
    else if (op.op === "remove") set.delete(label.id);
    else if (!set.has(label.id) && set.size >= MAX_LABELS_PER_ENTITY) {
      reason = `a${op.entity.t === "user" ? " user" : "n entity"} can have at most ${MAX_LABELS_PER_ENTITY} labels`;
    } else set.add(label.id);
    if (reason) invalid.push({ index, reason });
    else state.set(key, set);
  }
  const changes: BulkChange[] = [];
  for (const [key, after] of state) {
    const cut = key.indexOf("|");
    const entity = { entityType: key.slice(0, cut) as BulkEntityType, entityId: key.slice(cut + 1) };
    const was = before.get(key) ?? new Set<string>();
    for (const labelId of after) if (!was.has(labelId)) changes.push({ ...entity, labelId, added: true });
    for (const labelId of was) if (!after.has(labelId)) changes.push({ ...entity, labelId, added: false });
  }
  return { changes, invalid, catalogue };
}

const insertSql = `INSERT INTO entity_labels (community_id, label_id, entity_type, entity_id, created_at)
  SELECT ?1, json_extract(value, '$.l'), json_extract(value, '$.t'), json_extract(value, '$.e'), ?2 FROM json_each(?3) WHERE true
  ON CONFLICT DO NOTHING`;
const deleteSql = `DELETE FROM entity_labels WHERE community_id = ?1
  AND (label_id, entity_type, entity_id) IN
    (SELECT json_extract(value, '$.l'), json_extract(value, '$.t'), json_extract(value, '$.e') FROM json_each(?2))`;

/**
 * Applies a plan in one D1 batch (a transaction: all of it or none). The last statement looks
 * for entities over the limit, which only a concurrent write can cause; then the batch is undone
 * exactly and the caller gets 409, so the store is as it was.
 */
async function applyBulk(d1: D1Database, communityId: string, changes: BulkChange[]): Promise<void> {
  if (changes.length === 0) return;
  const pairs = (added: boolean) =>
    jsonList(changes.filter((c) => c.added === added).map((c) => ({ l: c.labelId, t: c.entityType, e: c.entityId })));
  const touched = jsonList([
    ...new Map(changes.map((c) => [`${c.entityType}|${c.entityId}`, { t: c.entityType, e: c.entityId }])).values(),
  ]);
  const overSql = `SELECT entity_id FROM entity_labels WHERE community_id = ?
    AND (entity_type, entity_id) IN (SELECT json_extract(value, '$.t'), json_extract(value, '$.e') FROM json_each(?))
    GROUP BY entity_type, entity_id HAVING count(*) > ${MAX_LABELS_PER_ENTITY}`;
  const results = await d1.batch([
    d1.prepare(deleteSql).bind(communityId, pairs(false)),
    d1.prepare(insertSql).bind(communityId, Date.now(), pairs(true)),
    d1.prepare(overSql).bind(communityId, touched),
  ]);
  if ((results[2]?.results.length ?? 0) === 0) return;
  await d1.batch([
    d1.prepare(deleteSql).bind(communityId, pairs(true)),
    d1.prepare(insertSql).bind(communityId, Date.now(), pairs(false)),
  ]);
  throw new HttpError(409, "Labels changed while the bulk request ran: none was applied, try again", {
    limit: MAX_LABELS_PER_ENTITY,
  });
}

/** Plans, and applies only when every item is valid (atomic: seeds, Labels Core bulk). */
export async function runBulk(d1: D1Database, communityId: string, operations: unknown[]) {
  const db = createDb(d1);
  const plan = await planBulk(db, d1, communityId, operations);
  if (plan.invalid.length) throw new BulkRejected(plan.invalid.sort((a, b) => a.index - b.index));
  await applyBulk(d1, communityId, plan.changes);
  return plan;
}
