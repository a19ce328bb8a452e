import { and, asc, eq, sql } from "drizzle-orm";
import type { BotReply } from "../../../../lib/events/chat-event.ts";
import { denied, dry, isModerator, label, MAX_TEXT, type ModuleContext, NAME, say, tooLong } from "../kit.ts";
import { memoryEntries } from "./schema.ts";

export const MAX_ENTRIES = 200;

/** `!url`/`!note`: `<name>` shows one, `add <name> <value>` and `remove <name>` (moderators), `list`. */
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
  if (sub !== "add" && sub !== "remove") {
    if (name || !NAME.test(sub.toLowerCase())) return usage;
    const row = await db
      .select()
      .from(memoryEntries)
      .where(and(mine, eq(memoryEntries.name, sub.toLowerCase())))
      .get();
    return say(call, row ? `${row.name}: ${row.value}` : `There is no ${kind} called ${sub}.`);
  }
  if (!isModerator(call)) return denied(call, `${sub} ${kind}s`);
  const key = name?.toLowerCase();
  if (!key || !NAME.test(key)) return usage;
  if (sub === "remove") {
    if (rest.length) return usage;
    if (call.simulated) return dry(call);
    const gone = await db
      .delete(memoryEntries)
      .where(and(mine, eq(memoryEntries.name, key)))
      .returning({ name: memoryEntries.name });
    return say(call, gone.length ? `${key} removed.` : `There is no ${kind} called ${key}.`);
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
