import type { Context } from "hono";
import { recordAudit } from "../../../../lib/audit.ts";
import type { Principal } from "../../../../lib/auth/permissions.ts";

/**
 * Audits one label configuration change made through the API (DESIGN.md: every configuration
 * change is audited, who, what, from → to). Awaited: it is one small insert.
 */
export function auditLabelChange(
  c: Context,
  communityId: string,
  action: string,
  target: { type: string; id: string },
  details: Record<string, unknown>,
): Promise<void> {
  const principal = c.get("principal") as Principal;
  return recordAudit(c.env.DB, {
    requestId: (c.get("requestId") as string | undefined) ?? null,
    actorType: principal.serviceRole ? "service" : principal.via === "api_key" ? "api_key" : "user",
    actorId: principal.userId,
    communityId,
    action,
    targetType: target.type,
    targetId: target.id,
    outcome: "success",
    details,
    ip: c.req.header("cf-connecting-ip") ?? null,
  });
}
