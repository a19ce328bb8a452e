import { and, asc, count, eq, sql } from "drizzle-orm";
import type { Database } from "../../../../lib/db/client.ts";
import { entityLabels, type LabelEntityType, labels } from "../../../../lib/db/schema/index.ts";
import { Conflict, HttpError, NotFound } from "../../../../lib/http/errors.ts";
import {
  type LabelFieldsValue,
  MAX_LABELS_PER_COMMUNITY_CATALOGUE,
  MAX_LABELS_PER_ENTITY,
  normalizeLabelName,
} from "./labels.schema.ts";

/** Queries for a community's labels and what carries them (one data-access layer, DESIGN.md). */
export type LabelRow = typeof labels.$inferSelect;

/** 409 naming the limit (seeds: 5 labels on a community, 5 per user per community). */
export class LabelLimit extends HttpError {
  constructor(what: string, limit = MAX_LABELS_PER_ENTITY) {
    super(409, `${what} can have at most ${limit} labels`, { limit });
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function listLabels(db: Database, communityId: string) {
  const users = db
    .select({ labelId: entityLabels.labelId, n: count().as("n") })
    .from(entityLabels)
    .where(and(eq(entityLabels.communityId, communityId), eq(entityLabels.entityType, "user")))
    .groupBy(entityLabels.labelId)
    .as("users");
  const rows = await db
    .select({ label: labels, users: sql<number>`coalesce(${users.n}, 0)` })
    .from(labels)
    .leftJoin(users, eq(users.labelId, labels.id))
    .where(eq(labels.communityId, communityId))
    .orderBy(asc(labels.normalizedName));
  return rows.map((r) => ({ ...r.label, users: Number(r.users) }));
}

export const getLabel = (db: Database, communityId: string, labelId: string) =>
  db
    .select()
    .from(labels)
    .where(and(eq(labels.communityId, communityId), eq(labels.id, labelId)))
    .get();

/** A label by id or by name (compared normalised); null when the community has no such label. */
export function findLabel(all: LabelRow[], ref: string): LabelRow | null {
  const byId = UUID.test(ref) ? all.find((l) => l.id === ref.toLowerCase()) : undefined;
  return byId ?? all.find((l) => l.normalizedName === normalizeLabelName(ref)) ?? null;
}

export const allLabels = (db: Database, communityId: string) =>
  db.select().from(labels).where(eq(labels.communityId, communityId));

/** The same name after normalising is the same label: 409 rather than a second one. */
async function assertNameFree(db: Database, communityId: string, name: string, exceptId?: string) {
  const normalizedName = normalizeLabelName(name);
  const clash = await db
    .select({ id: labels.id, name: labels.name })
    .from(labels)
    .where(and(eq(labels.communityId, communityId), eq(labels.normalizedName, normalizedName)))
    .get();
  if (clash && clash.id !== exceptId) throw new Conflict(`A label named "${clash.name}" already exists`);
  return normalizedName;
}

export async function createLabel(db: Database, communityId: string, input: LabelFieldsValue) {
  const normalizedName = await assertNameFree(db, communityId, input.name);
  const counted = await db.select({ n: count() }).from(labels).where(eq(labels.communityId, communityId)).get();
  if ((counted?.n ?? 0) >= MAX_LABELS_PER_COMMUNITY_CATALOGUE) {
    throw new LabelLimit("A community's catalogue", MAX_LABELS_PER_COMMUNITY_CATALOGUE);
  }
  // The unique index settles a race between two creates of one name: the loser gets nothing back.
  const row = await db
    .insert(labels)
    .values({ communityId, ...input, normalizedName })
    .onConflictDoNothing()
    .returning()
    .get();
  if (!row) throw new Conflict(`A label named "${input.name}" already exists`);
  return row;
}

export async function updateLabel(db: Database, communityId: string, labelId: string, input: LabelFieldsValue) {
  const normalizedName = await assertNameFree(db, communityId, input.name, labelId);
  const row = await db
    .update(labels)
    .set({ ...input, normalizedName })
    .where(and(eq(labels.communityId, communityId), eq(labels.id, labelId)))
    .returning()
    .get();
  if (!row) throw new NotFound("No such label");
  return row;
}

export const deleteLabel = (db: Database, communityId: string, labelId: string) =>
  db
    .delete(labels)
    .where(and(eq(labels.communityId, communityId), eq(labels.id, labelId)))
    .returning()
    .get();

/**
 * The labels on one entity in a community, as rows for the API. Writes to entity_labels are in
 * lib/labels/entity-labels.ts, shared with the chat commands.
 */
export async function labelsOf(db: Database, communityId: string, entityType: LabelEntityType, entityId: string) {
  const rows = await db
    .select({ label: labels })
    .from(entityLabels)
    .innerJoin(labels, eq(labels.id, entityLabels.labelId))
    .where(
      and(
        eq(entityLabels.communityId, communityId),
        eq(entityLabels.entityType, entityType),
        eq(entityLabels.entityId, entityId),
      ),
    )
    .orderBy(asc(labels.normalizedName));
  return rows.map((r) => r.label);
}
