import { and, asc, eq, sql } from "drizzle-orm";
import type { Database } from "../../../../lib/db/client.ts";
import { denied, dry, type FirstPartyModule, isModerator, label, NAME, say } from "../kit.ts";
import { manifest } from "./manifest.ts";
import { commandAliases } from "./schema.ts";

const MAX_ALIASES = 100;
const MAX_TARGET = 200;

/**
 * `!name rest` → the alias's target with `{args}` replaced by `rest` (or `rest` appended when the
 * target has no `{args}`, as a shell alias does). The router runs the result once, as a command
 * that is never expanded again, so `!alias add a !b` + `!alias add b !a` cannot loop.
 */
export async function expandAlias(db: Database, communityId: string, name: string, rawArgs: string) {
  if (!NAME.test(name)) return null;
  const row = await db
    .select({ target: commandAliases.target })
    .from(commandAliases)
    .where(and(eq(commandAliases.communityId, communityId), eq(commandAliases.name, name)))
    .get();
  if (!row) return null;
  const args = rawArgs.trim();
  return row.target.includes("{args}") ? row.target.replaceAll("{args}", args).trim() : `${row.target} ${args}`.trim();
}

export const alias: FirstPartyModule = {
  manifest,
  async command({ db, call }) {
    const [sub, name, ...target] = call.command!.args;
    const usage = say(call, `Usage: ${label(call)} add <name> <!command …{args}> | remove <name> | list`);
    if (sub === "list" && !name) {
      const rows = await db
        .select({ name: commandAliases.name, target: commandAliases.target })
        .from(commandAliases)
        .where(eq(commandAliases.communityId, call.communityId))
        .orderBy(asc(commandAliases.name));
      return say(
        call,
        rows.length ? `Aliases: ${rows.map((r) => `!${r.name} → ${r.target}`).join(", ")}` : "No aliases yet.",
      );
    }
    if (sub !== "add" && sub !== "remove") return usage;
    if (!isModerator(call)) return denied(call, `${sub} aliases`);
    const key = name?.replace(/^!/, "").toLowerCase();
    if (!key || !NAME.test(key)) return usage;
    if (sub === "remove") {
      if (target.length) return usage;
      if (call.simulated) return dry(call);
      const gone = await db
        .delete(commandAliases)
        .where(and(eq(commandAliases.communityId, call.communityId), eq(commandAliases.name, key)))
        .returning({ name: commandAliases.name });
      return say(call, gone.length ? `Alias !${key} removed.` : `There is no alias !${key}.`);
    }
    const text = target.join(" ").trim();
    if (!text) return usage;
    if (text.length > MAX_TARGET) return say(call, `That alias is too long (${MAX_TARGET} characters at most).`);
    const targetName = /^!([a-z0-9_-]{1,32})(\s|$)/i.exec(text)?.[1]?.toLowerCase();
    if (!targetName) return say(call, "An alias must run a ! command, e.g. !alias add so !shoutout {args}");
    if (targetName === key) return say(call, `!${key} cannot be an alias of itself.`);
    if (call.simulated) return dry(call);
    const count =
      (
        await db
          .select({ n: sql<number>`count(*)` })
          .from(commandAliases)
          .where(eq(commandAliases.communityId, call.communityId))
          .get()
      )?.n ?? 0;
    const values = { communityId: call.communityId, name: key, target: text, createdBy: call.user.username };
    const existing = await expandAlias(db, call.communityId, key, "");
    if (existing === null && count >= MAX_ALIASES)
      return say(call, `This community has ${MAX_ALIASES} aliases, the most it can have.`);
    await db
      .insert(commandAliases)
      .values(values)
      .onConflictDoUpdate({ target: [commandAliases.communityId, commandAliases.name], set: { target: text } });
    return say(call, `Alias !${key} → ${text}`);
  },
};
