import type { LabelEntityType } from "../db/schema/labels.ts";

/** Seeds (Labels Core): at most 5 labels on one entity (a community, user, module, memory, item). */
export const MAX_LABELS_PER_ENTITY = 5;

/** The form label names are compared in: trimmed, inner runs of space collapsed, lower case. */
export const normalizeLabelName = (name: string) => name.trim().replace(/\s+/g, " ").toLowerCase();

interface LabelTarget {
  communityId: string;
  entityType: LabelEntityType;
  entityId: string;
}

/** Who made a label change, for the audit row written in the same batch (and, over HTTP, the request). */
export interface LabelActor {
  actorType: "user" | "api_key" | "platform" | "service";
  actorId: string;
  requestId?: string | null;
  ip?: string | null;
}

/** A label of the community's catalogue by name (normalised); null when there is none. */
export const findLabelByName = (d1: D1Database, communityId: string, name: string) =>
  d1
    .prepare("SELECT id, name FROM labels WHERE community_id = ? AND normalized_name = ?")
    .bind(communityId, normalizeLabelName(name))
    .first<{ id: string; name: string }>();

/** The names of the labels on one entity, in name order. */
export async function labelNamesOf(d1: D1Database, t: LabelTarget): Promise<string[]> {
  const rows = await d1
    .prepare(
      `SELECT l.name FROM entity_labels el JOIN labels l ON l.id = el.label_id
       WHERE el.community_id = ? AND el.entity_type = ? AND el.entity_id = ? ORDER BY l.normalized_name`,
    )
    .bind(t.communityId, t.entityType, t.entityId)
    .all<{ name: string }>();
  return rows.results.map((r) => r.name);
}

// The audit row is inserted only when the statement before it changed a row (`changes()`), so
// the change and its audit entry are one D1 batch (a transaction) and a no-op leaves no trace.
const auditIfChanged = (d1: D1Database, t: LabelTarget, actor: LabelActor, action: string, label: string) =>
  d1
    .prepare(
      `INSERT INTO audit_log (id, occurred_at, actor_type, actor_id, community_id, action, target_type, target_id, outcome, details, request_id, ip)
       SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 'success', ?9, ?10, ?11 WHERE changes() = 1`,
    )
    .bind(
      crypto.randomUUID(),
      Date.now(),
      actor.actorType,
      actor.actorId,
      t.communityId,
      action,
      t.entityType,
      t.entityId,
      JSON.stringify({ label }),
      actor.requestId ?? null,
      actor.ip ?? null,
    );

/**
 * Puts a label on an entity unless it already carries MAX_LABELS_PER_ENTITY: the count is in
 * the INSERT's own WHERE, so two parallel adds cannot both slip under the cap.
 */
export async function labelEntity(
  d1: D1Database,
  t: LabelTarget,
  label: { id: string; name: string },
  actor: LabelActor,
  action: string,
): Promise<"added" | "already" | "cap"> {
  const [ins] = await d1.batch([
    d1
      .prepare(
        `INSERT INTO entity_labels (community_id, label_id, entity_type, entity_id, created_at)
         SELECT ?1, ?2, ?3, ?4, ?5 WHERE (SELECT count(*) FROM entity_labels
           WHERE community_id = ?1 AND entity_type = ?3 AND entity_id = ?4) < ?6
         ON CONFLICT DO NOTHING`,
      )
      .bind(t.communityId, label.id, t.entityType, t.entityId, Date.now(), MAX_LABELS_PER_ENTITY),
    auditIfChanged(d1, t, actor, action, label.name),
  ]);
  if ((ins?.meta.changes ?? 0) > 0) return "added";
  const has = await d1
    .prepare("SELECT 1 FROM entity_labels WHERE label_id = ? AND entity_type = ? AND entity_id = ?")
    .bind(label.id, t.entityType, t.entityId)
    .first();
  return has ? "already" : "cap";
}

/** Takes a label off an entity (and audits it, in one batch); false when it was not there. */
export async function unlabelEntity(
  d1: D1Database,
  t: LabelTarget,
  label: { id: string; name: string },
  actor: LabelActor,
  action: string,
): Promise<boolean> {
  const [del] = await d1.batch([
    d1
      .prepare(
        "DELETE FROM entity_labels WHERE community_id = ? AND label_id = ? AND entity_type = ? AND entity_id = ?",
      )
      .bind(t.communityId, label.id, t.entityType, t.entityId),
    auditIfChanged(d1, t, actor, action, label.name),
  ]);
  return (del?.meta.changes ?? 0) > 0;
}

/** The statement that drops every label of an entity, for the batch that deletes the entity. */
export const dropEntityLabels = (d1: D1Database, t: LabelTarget) =>
  d1
    .prepare("DELETE FROM entity_labels WHERE community_id = ? AND entity_type = ? AND entity_id = ?")
    .bind(t.communityId, t.entityType, t.entityId);

/**
 * Replaces an entity's labels as a whole, in one D1 batch (a transaction). The caller has
 * checked the list against MAX_LABELS_PER_ENTITY and audits the change as from → to.
 */
export async function replaceEntityLabels(d1: D1Database, t: LabelTarget, labelIds: string[]): Promise<void> {
  const now = Date.now();
  await d1.batch([
    dropEntityLabels(d1, t),
    ...labelIds.map((labelId) =>
      d1
        .prepare(
          "INSERT INTO entity_labels (community_id, label_id, entity_type, entity_id, created_at) VALUES (?, ?, ?, ?, ?)",
        )
        .bind(t.communityId, labelId, t.entityType, t.entityId, now),
    ),
  ]);
}

/** Entity ids in a community carrying a label, in id order (at most `limit`). */
export async function entitiesTagged(
  d1: D1Database,
  communityId: string,
  entityType: LabelEntityType,
  labelId: string,
  limit = 50,
) {
  const rows = await d1
    .prepare(
      "SELECT entity_id AS id FROM entity_labels WHERE community_id = ? AND entity_type = ? AND label_id = ? ORDER BY entity_id LIMIT ?",
    )
    .bind(communityId, entityType, labelId, limit)
    .all<{ id: string }>();
  return rows.results.map((r) => r.id);
}

/** Every labelled entity of one type in a community → its label names (for a page of them). */
export async function labelNamesByEntity(d1: D1Database, communityId: string, entityType: LabelEntityType) {
  const rows = await d1
    .prepare(
      `SELECT el.entity_id AS id, l.name FROM entity_labels el JOIN labels l ON l.id = el.label_id
       WHERE el.community_id = ? AND el.entity_type = ? ORDER BY l.normalized_name`,
    )
    .bind(communityId, entityType)
    .all<{ id: string; name: string }>();
  const byEntity = new Map<string, string[]>();
  for (const r of rows.results) byEntity.set(r.id, [...(byEntity.get(r.id) ?? []), r.name]);
  return byEntity;
}
