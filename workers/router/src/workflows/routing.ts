import { and, eq, isNotNull } from "drizzle-orm";
import { TtlCache } from "../../../../lib/cache.ts";
import { permissionLevelOf } from "../../../../lib/chat/permission-level.ts";
import { createDb, type Database } from "../../../../lib/db/client.ts";
import { workflows } from "../../../../lib/db/schema/index.ts";
import { log } from "../../../../lib/log.ts";
import type { Deferrer, Env } from "../env.ts";
import type { RoutedEvent } from "../events/routed-event.ts";
import { startPublished } from "./start.ts";

interface Triggers {
  commands: Map<string, string>;
  events: Map<string, string[]>;
}

/** Published triggers per community, read on every chat line: cached, invalidated on publish. */
const cache = new TtlCache<Triggers>(30_000);
export const invalidateWorkflowTriggers = (communityId: string) => cache.delete(communityId);

async function triggersOf(env: Env, communityId: string): Promise<Triggers> {
  return cache.getOrLoad(communityId, async () => {
    const rows = await createDb(env.DB)
      .select({ id: workflows.id, command: workflows.triggerCommand, event: workflows.triggerEvent })
      .from(workflows)
      .where(and(eq(workflows.communityId, communityId), eq(workflows.status, "published")));
    const t: Triggers = { commands: new Map(), events: new Map() };
    for (const r of rows) {
      if (r.command) t.commands.set(r.command, r.id);
      if (r.event) t.events.set(r.event, [...(t.events.get(r.event) ?? []), r.id]);
    }
    return t;
  });
}

/** The published workflow a `!command` starts, if any. */
export async function commandWorkflow(env: Env, communityId: string, name: string): Promise<string | null> {
  return (await triggersOf(env, communityId)).commands.get(name.toLowerCase()) ?? null;
}

/** What a run sees of a chat event (`trigger.*`): the event itself, the user with their level, the arguments. */
export function eventTriggerData(event: RoutedEvent, args: string[] = []): Record<string, unknown> {
  const { simulated: _s, ...plain } = event as RoutedEvent & { simulated?: boolean };
  return {
    event: plain,
    user: { ...event.user, level: permissionLevelOf(event.user as never) },
    args,
    text: event.text ?? "",
    data: event.data,
  };
}

/**
 * Starts a run without delaying the platform's answer (ctx.waitUntil). Simulated events never
 * start one: a run acts for real (chat, overlays, webhooks).
 */
export function startDeferred(
  env: Env,
  ctx: Deferrer,
  communityId: string,
  workflowId: string,
  kind: "command" | "event",
  data: Record<string, unknown>,
) {
  ctx.waitUntil(
    startPublished(env, communityId, workflowId, { kind, data }).catch((err) =>
      log.error("workflow did not start", { communityId, workflowId, error: err }),
    ),
  );
}

/** Starts every published workflow listening to this event type. */
export async function startEventWorkflows(
  env: Env,
  ctx: Deferrer,
  communityId: string,
  event: RoutedEvent,
): Promise<number> {
  if (event.simulated) return 0;
  const ids = (await triggersOf(env, communityId)).events.get(event.type) ?? [];
  for (const id of ids) startDeferred(env, ctx, communityId, id, "event", eventTriggerData(event));
  return ids.length;
}

/** Published command triggers other than `selfId`'s (for the 409 check). */
export async function otherTriggerCommands(env: Env, communityId: string, selfId: string) {
  return createDb(env.DB)
    .select({ id: workflows.id, command: workflows.triggerCommand })
    .from(workflows)
    .where(and(eq(workflows.communityId, communityId), isNotNull(workflows.triggerCommand)))
    .then((rows) => rows.filter((r) => r.id !== selfId));
}

/** The workflow (published or not) whose trigger is `!name`, if any: a new command may not take it. */
export async function workflowTriggerCommand(db: Database, communityId: string, name: string): Promise<string | null> {
  const row = await db
    .select({ id: workflows.id })
    .from(workflows)
    .where(and(eq(workflows.communityId, communityId), eq(workflows.triggerCommand, name.toLowerCase())))
    .get();
  return row?.id ?? null;
}
