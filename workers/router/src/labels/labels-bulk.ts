import { createDb, type Database } from "../../../../lib/db/client.ts";
import { HttpError } from "../../../../lib/http/errors.ts";
import { allLabels, findLabel, type LabelRow } from "./labels.repo.ts";
import { BulkOperation, MAX_LABELS_PER_ENTITY } from "./labels.schema.ts";

export interface BulkChange {
  userId: string;
  labelId: string;
  added: boolean;
}
export interface BulkInvalidItem {
  index: number;
  reason: string;
}

/** 400 listing every invalid item; nothing was applied. */
export class BulkRejected extends HttpError {
  constructor(invalid: BulkInvalidItem[]) {
    super(400, `${invalid.length} of the operations are invalid: none was applied`, invalid);
  }
}

/** Long id lists go in as one JSON parameter: D1 binds at most 100 parameters per statement. */
const jsonList = (values: unknown[]) => JSON.stringify(values);

async function memberIds(d1: D1Database, communityId: string, userIds: string[]): Promise<Set<string>> {
  const { results } = await d1
    .prepare(
      "SELECT user_id FROM community_members WHERE community_id = ? AND user_id IN (SELECT value FROM json_each(?))",
    )
    .bind(communityId, jsonList(userIds))
    .all<{ user_id: string }>();
  return new Set(results.map((r) => r.user_id));
}

async function currentLabels(d1: D1Database, communityId: string, userIds: string[]) {
  const { results } = await d1
    .prepare(
      `SELECT entity_id, label_id FROM entity_labels WHERE community_id = ? AND entity_type = 'user'
         AND entity_id IN (SELECT value FROM json_each(?))`,
    )
    .bind(communityId, jsonList(userIds))
    .all<{ entity_id: string; label_id: string }>();
  const byUser = new Map<string, Set<string>>();
  for (const r of results) {
    const set = byUser.get(r.entity_id) ?? new Set();
    set.add(r.label_id);
    byUser.set(r.entity_id, set);
  }
  return byUser;
}

/**
 * Plans a bulk request against the store as it is: every item is checked in order (its shape,
 * the label, membership, the per-user limit as the earlier items leave it), and every invalid
 * item is reported. Only the net difference is returned: add-then-remove of one pair is nothing.
 */
export async function planBulk(
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
    return r.data;
  });
  const userIds = [...new Set(parsed.flatMap((p) => (p ? [p.userId] : [])))];
  const [catalogue, members, before] = await Promise.all([
    allLabels(db, communityId),
    memberIds(d1, communityId, userIds),
    currentLabels(d1, communityId, userIds),
  ]);
  const state = new Map([...before].map(([u, s]) => [u, new Set(s)]));
  for (const [index, op] of parsed.entries()) {
    if (!op) continue;
    const label = findLabel(catalogue, op.label);
    const set = state.get(op.userId) ?? new Set<string>();
    let reason: string | null = null;
    if (!label) reason = `no label "${op.label}" in this community`;
    else if (!members.has(op.userId)) reason = "the user is not a member of this community";
    else if (op.op === "remove") set.delete(label.id);
    else if (!set.has(label.id) && set.size >= MAX_LABELS_PER_ENTITY) {
      reason = `a user can have at most ${MAX_LABELS_PER_ENTITY} labels`;
    } else set.add(label.id);
    if (reason) invalid.push({ index, reason });
    else state.set(op.userId, set);
  }
  const changes: BulkChange[] = [];
  for (const [userId, after] of state) {
    const was = before.get(userId) ?? new Set<string>();
    for (const labelId of after) if (!was.has(labelId)) changes.push({ userId, labelId, added: true });
    for (const labelId of was) if (!after.has(labelId)) changes.push({ userId, labelId, added: false });
  }
  return { changes, invalid, catalogue };
}

const insertSql = `INSERT INTO entity_labels (community_id, label_id, entity_type, entity_id, created_at)
  SELECT ?1, json_extract(value, '$.l'), 'user', json_extract(value, '$.u'), ?2 FROM json_each(?3) WHERE true
  ON CONFLICT DO NOTHING`;
const deleteSql = `DELETE FROM entity_labels WHERE community_id = ?1 AND entity_type = 'user'
  AND (label_id, entity_id) IN (SELECT json_extract(value, '$.l'), json_extract(value, '$.u') FROM json_each(?2))`;

/**
 * Applies a plan in one D1 batch (a transaction: all of it or none). The last statement looks
 * for users over the limit, which only a concurrent write can cause; then the batch is undone
 * exactly and the caller gets 409, so the store is as it was.
 */
export async function applyBulk(d1: D1Database, communityId: string, changes: BulkChange[]): Promise<void> {
  if (changes.length === 0) return;
  const pairs = (added: boolean) =>
    jsonList(changes.filter((c) => c.added === added).map((c) => ({ l: c.labelId, u: c.userId })));
  const users = jsonList([...new Set(changes.map((c) => c.userId))]);
  const overSql = `SELECT entity_id FROM entity_labels WHERE community_id = ? AND entity_type = 'user'
    AND entity_id IN (SELECT value FROM json_each(?)) GROUP BY entity_id HAVING count(*) > ${MAX_LABELS_PER_ENTITY}`;
  const results = await d1.batch([
    d1.prepare(deleteSql).bind(communityId, pairs(false)),
    d1.prepare(insertSql).bind(communityId, Date.now(), pairs(true)),
    d1.prepare(overSql).bind(communityId, users),
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
