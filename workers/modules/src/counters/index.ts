import { and, eq, inArray, sql } from "drizzle-orm";
import type { Database } from "../../../../lib/db/client.ts";
import { denied, dry, type FirstPartyModule, isModerator, label, NAME, parseIntIn, say } from "../kit.ts";
import { manifest } from "./manifest.ts";
import { moduleCounters } from "./schema.ts";

/** Counter values stay within ±1e9 (a number chat can read and SQLite stores exactly). */
const LIMIT = 1_000_000_000;

/** The values of the named counters in one community (missing ones are 0). */
export async function counterValues(
  db: Database,
  communityId: string,
  names: string[],
): Promise<Record<string, number>> {
  const wanted = [...new Set(names.filter((n) => NAME.test(n)))].slice(0, 20);
  const out: Record<string, number> = Object.fromEntries(wanted.map((n) => [n, 0]));
  if (wanted.length === 0) return out;
  const rows = await db
    .select({ name: moduleCounters.name, value: moduleCounters.value })
    .from(moduleCounters)
    .where(and(eq(moduleCounters.communityId, communityId), inArray(moduleCounters.name, wanted)));
  for (const r of rows) out[r.name] = r.value;
  return out;
}

/** Adds `delta` (or sets `value`) in one statement, clamped to ±LIMIT; returns the new value. */
export async function change(
  db: Database,
  communityId: string,
  name: string,
  op: { delta: number } | { value: number },
) {
  const next =
    "delta" in op ? sql`max(${-LIMIT}, min(${LIMIT}, ${moduleCounters.value} + ${op.delta}))` : sql`${op.value}`;
  const initial = "delta" in op ? Math.max(-LIMIT, Math.min(LIMIT, op.delta)) : op.value;
  const [row] = await db
    .insert(moduleCounters)
    .values({ communityId, name, value: initial })
    .onConflictDoUpdate({
      target: [moduleCounters.communityId, moduleCounters.name],
      set: { value: next, updatedAt: new Date() },
    })
    .returning({ value: moduleCounters.value });
  return row!.value;
}

const title = (name: string) => name.charAt(0).toUpperCase() + name.slice(1);

export const counters: FirstPartyModule = {
  manifest,
  async command({ db, call }) {
    const cmd = call.command!;
    // `!deaths …` is the counter named by the command; `!counter <name> …` names it first.
    const args = cmd.name === "counter" ? cmd.args.slice(1) : cmd.args;
    const name = (cmd.name === "counter" ? cmd.args[0] : cmd.name)?.toLowerCase();
    const usage =
      cmd.name === "counter"
        ? `Usage: ${label(call)} <name> [+N | -N | set N | reset]`
        : `Usage: ${label(call)} [+N | -N | set N | reset]`;
    if (!name || !NAME.test(name) || args.length > 2) return say(call, usage);
    const [op, value] = args;
    if (!op) {
      const v = (await counterValues(db, call.communityId, [name]))[name] ?? 0;
      return say(call, `${title(name)}: ${v}`);
    }
    let change_: { delta: number } | { value: number } | null = null;
    if (/^[+-][0-9]+$/.test(op) && value === undefined) {
      const delta = parseIntIn(op, -1000, 1000);
      if (delta === null) return say(call, `${usage} (a step is at most 1000)`);
      change_ = { delta };
    } else if (op === "set" && value !== undefined) {
      const v = parseIntIn(value, -LIMIT, LIMIT);
      if (v === null) return say(call, `${usage} (set takes a whole number up to ${LIMIT})`);
      change_ = { value: v };
    } else if (op === "reset" && value === undefined) change_ = { value: 0 };
    if (!change_) return say(call, usage);
    if (!isModerator(call)) return denied(call, `change ${name}`);
    if (call.simulated) return dry(call);
    return say(call, `${title(name)}: ${await change(db, call.communityId, name, change_)}`);
  },
};
