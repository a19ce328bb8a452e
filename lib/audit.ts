import { createDb } from "./db/client.ts";
import { auditLog } from "./db/schema/index.ts";

export type AuditEntry = Omit<typeof auditLog.$inferInsert, "id" | "occurredAt">;

/**
 * Appends one entry to the audit trail. Auditing must never break the request it records,
 * so a failed write is logged and swallowed; callers may hand the promise to waitUntil.
 */
export async function recordAudit(d1: D1Database, entry: AuditEntry): Promise<void> {
  try {
    await createDb(d1).insert(auditLog).values(entry);
  } catch (err) {
    console.error(
      JSON.stringify({ level: "error", msg: "audit write failed", action: entry.action, error: String(err) }),
    );
  }
}
