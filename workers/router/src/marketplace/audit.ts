import type { Context } from "hono";
import { recordAudit } from "../../../../lib/audit.ts";
import type { Principal } from "../../../../lib/auth/permissions.ts";

/** Audits one marketplace change (who, what, from → to); deferred so it never slows the answer. */
export function auditChange(
  c: Context,
  entry: {
    communityId: string | null;
    action: string;
    targetType: string;
    targetId: string;
    details: Record<string, unknown>;
  },
): void {
  const principal = c.get("principal" as never) as Principal;
  const write = recordAudit(c.env.DB, {
    requestId: (c.get("requestId" as never) as string | undefined) ?? null,
    actorType: principal.serviceRole ? "service" : principal.via === "api_key" ? "api_key" : "user",
    actorId: principal.userId,
    outcome: "success",
    ...entry,
  });
  try {
    c.executionCtx.waitUntil(write);
  } catch {
    // No execution context (a plain app.request in a script): the write still runs.
  }
}

/** SQLite's unique-constraint failure, as D1 reports it (a race the earlier check did not see). */
export const isUniqueViolation = (err: unknown) =>
  /UNIQUE constraint failed/i.test(
    String((err as Error)?.message ?? err) + String((err as { cause?: unknown })?.cause ?? ""),
  );
