import { and, eq } from "drizzle-orm";
import { recordAudit } from "../../../../lib/audit.ts";
import { type Permission, type Principal, roleAllows } from "../../../../lib/auth/permissions.ts";
import { createDb } from "../../../../lib/db/client.ts";
import { communityMembers } from "../../../../lib/db/schema/index.ts";
import type { Env } from "../env.ts";

/** The one authorisation decision, used by every worker; every denial is audited. */
export async function authorize(
  env: Env,
  principal: Principal,
  communityId: string,
  permission: Permission,
  requestId?: string | null,
): Promise<boolean> {
  const member = await createDb(env.DB)
    .select({ role: communityMembers.role })
    .from(communityMembers)
    .where(and(eq(communityMembers.communityId, communityId), eq(communityMembers.userId, principal.userId)))
    .get();
  const allowed = roleAllows(principal, member?.role ?? null, permission);
  if (!allowed) {
    await recordAudit(env.DB, {
      requestId: requestId ?? null,
      actorType: principal.serviceRole ? "service" : principal.via === "api_key" ? "api_key" : "user",
      actorId: principal.userId,
      communityId,
      action: "authorize",
      targetType: "permission",
      targetId: permission,
      outcome: "denied",
      details: {
        role: member?.role ?? null,
        serviceRole: principal.serviceRole ?? null,
        apiKeyId: principal.apiKeyId ?? null,
      },
    });
  }
  return allowed;
}
