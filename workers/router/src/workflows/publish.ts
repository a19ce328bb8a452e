import { and, eq, isNull, or } from "drizzle-orm";
import type { Database } from "../../../../lib/db/client.ts";
import { commands, workflowSchedules, workflows, workflowVersions } from "../../../../lib/db/schema/index.ts";
import { BadRequest, Conflict } from "../../../../lib/http/errors.ts";
import { BUILTINS } from "../commands/builtins.ts";
import type { Env } from "../env.ts";
import { installedModulesQuery } from "../modules/modules.repo.ts";
import type { Graph } from "./graph.ts";
import { requireCapacity, workflowCount } from "./licence.ts";
import type { ScheduleSpec } from "./nodes.ts";
import { invalidateWorkflowTriggers, otherTriggerCommands } from "./routing.ts";
import { triggerOf, validateGraph } from "./validate.ts";
import { validationContext, type WorkflowRow } from "./workflows.repo.ts";

/** The community's scheduler object. */
export const schedulerOf = (env: Env, communityId: string) =>
  env.WORKFLOW_SCHEDULER.get(env.WORKFLOW_SCHEDULER.idFromName(communityId));

/** Validates a graph for a community; 400 with the issues (each naming its node) when it fails. */
async function validOrThrow(env: Env, db: Database, communityId: string, graph: Graph): Promise<Graph> {
  const { issues, graph: clean } = validateGraph(graph, await validationContext(env, db, communityId));
  if (issues.length) throw new BadRequest("The workflow is not valid", issues);
  return clean;
}

/** 409 when `!name` is already a command here: a community or global row, a built-in, a module's, another workflow's. */
async function checkCommandFree(env: Env, db: Database, communityId: string, workflowId: string, name: string) {
  const clash = `!${name} already exists in this community`;
  if (BUILTINS[name]) throw new Conflict(`${clash} (built-in command)`);
  const row = await db
    .select({ id: commands.id })
    .from(commands)
    .where(
      and(
        eq(commands.prefix, "!"),
        eq(commands.name, name),
        or(eq(commands.communityId, communityId), isNull(commands.communityId)),
      ),
    )
    .get();
  if (row) throw new Conflict(clash);
  const mods = await installedModulesQuery(db, communityId);
  if (
    mods.some(
      (m) => m.module.commands.includes(name) && m.module.engine !== "lambda" && m.module.engine !== "openwhisk",
    )
  ) {
    throw new Conflict(`${clash} (a module's command)`);
  }
  if ((await otherTriggerCommands(env, communityId, workflowId)).some((w) => w.command === name)) {
    throw new Conflict(`${clash} (another workflow's trigger)`);
  }
}

/**
 * Publishes the draft as the next immutable version: validated (400), within the licence
 * (402), its trigger command free (409); then the version row and the workflow's routing
 * fields in one batch, and its schedule handed to the community's scheduler.
 */
export async function publishWorkflow(env: Env, db: Database, wf: WorkflowRow, publishedBy: string) {
  const graph = await validOrThrow(env, db, wf.communityId, wf.graph as Graph);
  await requireCapacity(env, db, wf.communityId, await workflowCount(db, wf.communityId));
  const trigger = triggerOf(graph)!;
  const config = trigger.config as { command?: string; event?: string; schedule?: ScheduleSpec };
  const triggerCommand = trigger.type === "trigger_command" ? config.command!.replace(/^!/, "").toLowerCase() : null;
  if (triggerCommand) await checkCommandFree(env, db, wf.communityId, wf.id, triggerCommand);
  const version = wf.version + 1;
  const schedule = trigger.type === "trigger_schedule" ? config.schedule! : null;
  await db.batch([
    db.insert(workflowVersions).values({ workflowId: wf.id, version, graph, publishedBy }),
    db
      .update(workflows)
      .set({
        status: "published",
        version,
        triggerCommand,
        triggerEvent: trigger.type === "trigger_event" ? config.event! : null,
      })
      .where(eq(workflows.id, wf.id)),
    schedule
      ? db
          .insert(workflowSchedules)
          .values({ workflowId: wf.id, communityId: wf.communityId, spec: schedule })
          .onConflictDoUpdate({ target: workflowSchedules.workflowId, set: { spec: schedule, runCount: 0 } })
      : db.delete(workflowSchedules).where(eq(workflowSchedules.workflowId, wf.id)),
  ]);
  const nextAt = await schedulerOf(env, wf.communityId).setSchedule(wf.communityId, wf.id, schedule);
  if (schedule) {
    await db
      .update(workflowSchedules)
      .set({ nextRunAt: nextAt === null ? null : new Date(nextAt) })
      .where(eq(workflowSchedules.workflowId, wf.id));
  }
  invalidateWorkflowTriggers(wf.communityId);
  return { version, graph, nextRunAt: nextAt === null ? null : new Date(nextAt).toISOString() };
}
