import { and, asc, eq, sql } from "drizzle-orm";
import type { BotReply } from "../../../../lib/events/chat-event.ts";
import { dropEntityLabels } from "../../../../lib/labels/entity-labels.ts";
import { denied, dry, isModerator, label, MAX_TEXT, type ModuleContext, NAME, say, tooLong } from "../kit.ts";
import { changeLabel, labelSuffix, mayLabel, taggedWith } from "../labels-chat.ts";
import { memoryEntries } from "./schema.ts";

const MAX_ENTRIES = 200;

/**
 * `!url`/`!note`: `<name>` shows one, `list`, `tagged <label>`; moderators: `add <name> <value>`,
 * `remove <name>`, `label <name> <label>`, `unlabel <name> <label>`. Labelled as `memory`
 * entities with id `<kind>:<name>` (the table's key within a community).
 */
export async function entryCommand(ctx: ModuleContext, kind: "url" | "note"): Promise<BotReply[]> {
  const { call, db } = ctx;
  const [sub, name, ...rest] = call.command!.args;
  const usage = say(
    call,
    `Usage: ${label(call)} <name> | list | add <name> <${kind === "url" ? "https://…" : "text"}> | remove <name>`,
  );
  const mine = and(eq(memoryEntries.communityId, call.communityId), eq(memoryEntries.kind, kind));
  if (!sub) return usage;
  if (sub === "list" && !name) {
    const rows = await db
      .select({ name: memoryEntries.name })
      .from(memoryEntries)
      .where(mine)
      .orderBy(asc(memoryEntries.name))
      .limit(50);
    return say(
      call,
      rows.length ? `${kind === "url" ? "Links" : "Notes"}: ${rows.map((r) => r.name).join(", ")}` : `No ${kind}s yet.`,
    );
  }
  const entityId = (n: string) => `${kind}:${n}`;
  if ((sub === "label" || sub === "unlabel") && name) {
    const labelUsage = say(call, `Usage: ${label(call)} ${sub} <name> <label>`);
    const refused = mayLabel(ctx, `${kind}s`);
    if (refused) return refused;
    const key = name.toLowerCase();
    if (rest.length !== 1 || !NAME.test(key)) return labelUsage;
    const row = await db
      .select({ name: memoryEntries.name })
      .from(memoryEntries)
      .where(and(mine, eq(memoryEntries.name, key)))
      .get();
    if (!row) return say(call, `There is no ${kind} called ${key}.`);
    return changeLabel(
      ctx,
      sub,
      { type: "memory", id: entityId(key), shown: `${kind} ${key}` },
      rest[0],
      labelUsage,
      "memories",
    );
  }
  if (sub === "tagged" && name) {
    const found = await taggedWith(ctx, "memory", name, say(call, `Usage: ${label(call)} tagged <label>`));
    if (!found.label) return found.reply;
    const names = found.ids.filter((id) => id.startsWith(`${kind}:`)).map((id) => id.slice(kind.length + 1));
    return say(
      call,
      names.length
        ? `${kind === "url" ? "Links" : "Notes"} labelled ${found.label.name}: ${names.join(", ")}`
        : `No ${kind} is labelled ${found.label.name}.`,
    );
  }
  if (sub !== "add" && sub !== "remove") {
    if (name || !NAME.test(sub.toLowerCase())) return usage;
    const row = await db
      .select()
      .from(memoryEntries)
      .where(and(mine, eq(memoryEntries.name, sub.toLowerCase())))
      .get();
    if (!row) return say(call, `There is no ${kind} called ${sub}.`);
    return say(call, `${row.name}: ${row.value}${await labelSuffix(ctx, "memory", entityId(row.name))}`);
  }
  if (!isModerator(call)) return denied(call, `${sub} ${kind}s`);
  const key = name?.toLowerCase();
  if (!key || !NAME.test(key)) return usage;
  if (sub === "remove") {
    if (rest.length) return usage;
    if (call.simulated) return dry(call);
    // Its labels go with it (entity_labels has no foreign key to module tables): one batch.
    const [, gone] = await ctx.env.DB.batch([
      dropEntityLabels(ctx.env.DB, { communityId: call.communityId, entityType: "memory", entityId: entityId(key) }),
      ctx.env.DB.prepare("DELETE FROM memory_entries WHERE community_id = ? AND kind = ? AND name = ?").bind(
        call.communityId,
        kind,
        key,
      ),
    ]);
    return say(call, gone?.meta.changes ? `${key} removed.` : `There is no ${kind} called ${key}.`);
  }
  const value = rest.join(" ").trim();
  if (!value) return usage;
  if (value.length > MAX_TEXT) return tooLong(call);
  if (kind === "url" && !isHttpUrl(value))
    return say(call, "A url must be a single http(s) address, e.g. https://example.com/docs");
  if (call.simulated) return dry(call);
  const n = (await db.select({ n: sql<number>`count(*)` }).from(memoryEntries).where(mine).get())?.n ?? 0;
  const exists = await db
    .select({ name: memoryEntries.name })
    .from(memoryEntries)
    .where(and(mine, eq(memoryEntries.name, key)))
    .get();
  if (!exists && n >= MAX_ENTRIES)
    return say(call, `This community has ${MAX_ENTRIES} ${kind}s, the most it can have.`);
  await db
    .insert(memoryEntries)
    .values({ communityId: call.communityId, kind, name: key, value, addedBy: call.user.username })
    .onConflictDoUpdate({
      target: [memoryEntries.communityId, memoryEntries.kind, memoryEntries.name],
      set: { value },
    });
  return say(call, `${kind === "url" ? "Link" : "Note"} ${key} saved.`);
}

function isHttpUrl(s: string): boolean {
  if (/\s/.test(s)) return false;
  try {
    const u = new URL(s);
    return u.protocol === "https:" || u.protocol === "http:";
  } catch {
    return false;
  }
}
