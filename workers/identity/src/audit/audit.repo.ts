import { and, desc, eq, gte, lt, lte, type SQL } from "drizzle-orm";
import { createDb } from "../../../../lib/db/client.ts";
import { auditLog } from "../../../../lib/db/schema/index.ts";

export interface AuditFilter {
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
