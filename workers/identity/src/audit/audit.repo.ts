import { and, desc, eq, gte, inArray, lt, lte, type SQL } from "drizzle-orm";
import { createDb } from "../../../../lib/db/client.ts";
import { auditLog, users } from "../../../../lib/db/schema/index.ts";

interface AuditFilter {
  communityId?: string;
  actorId?: string;
  action?: string;
  outcome?: "success" | "denied" | "failure";
  since?: Date;
  until?: Date;
  /** Cursor: entries strictly older than this. */
  before?: Date;
  limit: number;
}

/** Newest first. The audit trail is only ever read here; nothing updates or deletes it. */
export async function queryAudit(d1: D1Database, f: AuditFilter) {
  const where: SQL[] = [];
  if (f.communityId) where.push(eq(auditLog.communityId, f.communityId));
  if (f.actorId) where.push(eq(auditLog.actorId, f.actorId));
  if (f.action) where.push(eq(auditLog.action, f.action));
  if (f.outcome) where.push(eq(auditLog.outcome, f.outcome));
  if (f.since) where.push(gte(auditLog.occurredAt, f.since));
  if (f.until) where.push(lte(auditLog.occurredAt, f.until));
  if (f.before) where.push(lt(auditLog.occurredAt, f.before));
  const rows = await createDb(d1)
    .select()
    .from(auditLog)
    .where(and(...where))
    .orderBy(desc(auditLog.occurredAt))
    .limit(f.limit);
  return rows.map((r) => ({ ...r, occurredAt: r.occurredAt.toISOString(), details: r.details ?? null }));
}

type Entry = Awaited<ReturnType<typeof queryAudit>>[number];

/**
 * Adds who and what by name, so the trail never shows bare ids: people by their display name
 * (looked up in one query), anything else by the name the entry recorded (`details.name`).
 */
export async function withNames(d1: D1Database, entries: Entry[]) {
  const ids = new Set<string>();
  for (const e of entries) {
    if (e.actorId) ids.add(e.actorId);
    if (e.targetType === "user" && e.targetId) ids.add(e.targetId);
  }
  // D1 binds at most 100 parameters per statement: look people up 100 at a time.
  const all = [...ids];
  const chunks = Array.from({ length: Math.ceil(all.length / 100) }, (_, i) => all.slice(i * 100, i * 100 + 100));
  const db = createDb(d1);
  const people = (
    await Promise.all(
      chunks.map((chunk) =>
        db.select({ id: users.id, name: users.displayName }).from(users).where(inArray(users.id, chunk)),
      ),
    )
  ).flat();
  const nameOf = new Map(people.map((p) => [p.id, p.name]));
  const recorded = (e: Entry, key: string) => {
    const v = e.details?.[key];
    return typeof v === "string" ? v : null;
  };
  return entries.map((e) => ({
    ...e,
    actorName: (e.actorId && nameOf.get(e.actorId)) || recorded(e, "actorName"),
    targetName:
      recorded(e, "name") ?? (e.targetType === "user" && e.targetId ? (nameOf.get(e.targetId) ?? null) : null),
  }));
}
