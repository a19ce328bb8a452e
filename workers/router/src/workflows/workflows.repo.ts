import { and, desc, eq } from "drizzle-orm";
import type { Context } from "hono";
import { recordAudit } from "../../../../lib/audit.ts";
import type { AuthVariables } from "../../../../lib/auth/hono.ts";
import type { Database } from "../../../../lib/db/client.ts";
import { moduleInstallations, workflows, workflowVariables } from "../../../../lib/db/schema/index.ts";
import { NotFound } from "../../../../lib/http/errors.ts";
import { outboundPolicy } from "../../../../lib/outbound/url-guard.ts";
import type { Env } from "../env.ts";
import type { Graph } from "./graph.ts";
import { maskGraph } from "./graph-secrets.ts";
import type { ValidationContext } from "./validate.ts";

export type WorkflowRow = typeof workflows.$inferSelect;

/** A workflow as the API shows it: its header values masked (graph-secrets.ts). */
export const toApi = (r: WorkflowRow) => ({
  id: r.id,
  communityId: r.communityId,
  name: r.name,
  description: r.description,
  status: r.status,
  version: r.version,
  graph: maskGraph(r.graph as Graph),
  triggerCommand: r.triggerCommand,
  triggerEvent: r.triggerEvent,
  createdAt: r.createdAt.toISOString(),
  updatedAt: r.updatedAt.toISOString(),
});

export async function getWorkflow(db: Database, communityId: string, workflowId: string): Promise<WorkflowRow> {
  const row = await db
    .select()
    .from(workflows)
    .where(and(eq(workflows.id, workflowId), eq(workflows.communityId, communityId)))
    .get();
  if (!row) throw new NotFound("No such workflow");
  return row;
}

export const listWorkflows = (db: Database, communityId: string) =>
  db.select().from(workflows).where(eq(workflows.communityId, communityId)).orderBy(desc(workflows.updatedAt));

/** What validation checks references against: the installed modules and the global variables. */
export async function validationContext(env: Env, db: Database, communityId: string): Promise<ValidationContext> {
  const [installed, globals] = await db.batch([
    db
      .select({ id: moduleInstallations.moduleId })
      .from(moduleInstallations)
      .where(eq(moduleInstallations.communityId, communityId)),
    db
      .select({ name: workflowVariables.name })
      .from(workflowVariables)
      .where(eq(workflowVariables.communityId, communityId)),
  ]);
  return {
    installedModuleIds: new Set(installed.map((r) => r.id)),
    globalVariables: new Set(globals.map((r) => r.name)),
    outbound: outboundPolicy(env),
  };
}

export type AuditContext = Context<{ Bindings: Env; Variables: AuthVariables }>;

/** Audits a workflow configuration change (who, what, from → to). */
export function auditWorkflow(
  c: AuditContext,
  communityId: string,
  action: string,
  targetId: string,
  details: Record<string, unknown>,
) {
  const principal = c.get("principal");
  return recordAudit(c.env.DB, {
    requestId: (c.get("requestId" as never) as string | undefined) ?? null,
    actorType: principal.via === "api_key" ? "api_key" : "user",
    actorId: principal.userId,
    communityId,
    action,
    targetType: "workflow",
    targetId,
    outcome: "success",
    details,
  });
}
