import type { Context } from "hono";
import { recordAudit } from "../../../../lib/audit.ts";
import type { Principal } from "../../../../lib/auth/permissions.ts";
import type { LabelActor } from "../../../../lib/labels/entity-labels.ts";

/** Who is making this API request, as the audit trail records them (and the request itself). */
export function labelActor(c: Context): Required<LabelActor> {
  const principal = c.get("principal") as Principal;
  return {
    actorType: principal.serviceRole ? "service" : principal.via === "api_key" ? "api_key" : "user",
    actorId: principal.userId,
    requestId: (c.get("requestId") as string | undefined) ?? null,
    ip: c.req.header("cf-connecting-ip") ?? null,
  };
}

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
  return recordAudit(c.env.DB, {
    ...labelActor(c),
    communityId,
    action,
    targetType: target.type,
    targetId: target.id,
    outcome: "success",
    details,
  });
}
