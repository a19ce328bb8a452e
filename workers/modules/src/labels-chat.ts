/** `label` / `unlabel` / `tagged` in chat, on the Labels Core's catalogue (memories, inventory). */
import type { LabelEntityType } from "../../../lib/db/schema/labels.ts";
import type { BotReply } from "../../../lib/events/chat-event.ts";
import {
  entitiesTagged,
  findLabelByName,
  labelEntity,
  labelNamesOf,
  MAX_LABELS_PER_ENTITY,
  unlabelEntity,
} from "../../../lib/labels/entity-labels.ts";
import { denied, dry, isModerator, type ModuleContext, say } from "./kit.ts";

/** Chat names a label in one word; the catalogue's own names may hold spaces (`-`/`_` do not map). */
const LABEL_WORD = /^[\p{L}\p{N}_-]{1,50}$/u;

const unknownLabel = (ctx: ModuleContext, name: string) =>
  say(
    ctx.call,
    `There is no label "${name}" in this community: create it first in the portal (Labels page) or with POST /api/v1/communities/{id}/labels.`,
  );

/** A label name from chat, looked up in the community's catalogue; a reply when it is not there. */
async function catalogueLabel(ctx: ModuleContext, name: string | undefined, usage: BotReply[]) {
  if (!name || !LABEL_WORD.test(name)) return { reply: usage };
  const found = await findLabelByName(ctx.env.DB, ctx.call.communityId, name);
  return found ? { label: found } : { reply: unknownLabel(ctx, name) };
}

/**
 * Moderators put a catalogue label on an entity or take it off; the change and its audit row
 * are one D1 batch. `shown` names the entity in the answer ("Quote #3", "note rules").
 */
export async function changeLabel(
  ctx: ModuleContext,
  op: "label" | "unlabel",
  entity: { type: LabelEntityType; id: string; shown: string },
  name: string | undefined,
  usage: BotReply[],
  module: string,
): Promise<BotReply[]> {
  const { call, env } = ctx;
  const found = await catalogueLabel(ctx, name, usage);
  if (!found.label) return found.reply;
  if (call.simulated) return dry(call);
  const target = { communityId: call.communityId, entityType: entity.type, entityId: entity.id };
  const actor = { actorType: "platform" as const, actorId: `${call.platform}:${call.user.id}` };
  const l = found.label;
  if (op === "unlabel") {
    const gone = await unlabelEntity(env.DB, target, l, actor, `module.${module}.unlabel`);
    return say(call, gone ? `${entity.shown}: label ${l.name} removed.` : `${entity.shown} is not labelled ${l.name}.`);
  }
  const done = await labelEntity(env.DB, target, l, actor, `module.${module}.label`);
  if (done === "cap")
    return say(
      call,
      `${entity.shown} already has ${MAX_LABELS_PER_ENTITY} labels, the most it can have: unlabel one first.`,
    );
  return say(
    call,
    done === "added" ? `${entity.shown} labelled ${l.name}.` : `${entity.shown} is already labelled ${l.name}.`,
  );
}

/** The moderator gate for label changes, checked before any lookup. */
export const mayLabel = (ctx: ModuleContext, what: string) =>
  isModerator(ctx.call) ? null : denied(ctx.call, `label ${what}`);

/** Entity ids carrying a catalogue label (for `tagged`), or the reply when the label is unknown. */
export async function taggedWith(
  ctx: ModuleContext,
  type: LabelEntityType,
  name: string | undefined,
  usage: BotReply[],
) {
  const found = await catalogueLabel(ctx, name, usage);
  if (!found.label) return { reply: found.reply };
  return { label: found.label, ids: await entitiesTagged(ctx.env.DB, ctx.call.communityId, type, found.label.id) };
}

/** ` [funny, classic]` after an entity shown in chat, or nothing when it carries no label. */
export async function labelSuffix(ctx: ModuleContext, type: LabelEntityType, id: string): Promise<string> {
  const names = await labelNamesOf(ctx.env.DB, { communityId: ctx.call.communityId, entityType: type, entityId: id });
  return names.length ? ` [${names.join(", ")}]` : "";
}
