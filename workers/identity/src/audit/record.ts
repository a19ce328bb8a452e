import type { Context } from "hono";
import { type AuditEntry, recordAudit } from "../../../../lib/audit.ts";
import type { Principal } from "../../../../lib/auth/permissions.ts";

/** Who a principal is, as the audit log names actors. */
export function actorOf(principal: Principal): Pick<AuditEntry, "actorType" | "actorId"> {
  const actorType = principal.serviceRole ? "service" : principal.via === "api_key" ? "api_key" : "user";
  return { actorType, actorId: principal.userId };
}

/** Records an audit entry for an HTTP request, filling in its request id and IP. */
export function auditRequest(c: Context, entry: Omit<AuditEntry, "requestId" | "ip">): Promise<void> {
  return recordAudit(c.env.DB, {
    ...entry,
    requestId: (c.get("requestId") as string | undefined) ?? null,
    ip: c.req.header("cf-connecting-ip") ?? null,
  });
}
