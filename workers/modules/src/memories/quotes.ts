import { and, eq, inArray, sql } from "drizzle-orm";
import type { BotReply } from "../../../../lib/events/chat-event.ts";
import { deleteQuote } from "../content.ts";
import { denied, dry, isModerator, label, MAX_TEXT, type ModuleContext, say, tooLong } from "../kit.ts";
import { changeLabel, labelSuffix, mayLabel, taggedWith } from "../labels-chat.ts";
import { memoryQuotes } from "./schema.ts";

const show = (q: { number: number; text: string }) => `#${q.number}: ${q.text}`;

/**
 * `!quote`, `!quote 12`, `!quote add …`, `!quote search word`, `!quote tagged funny`;
 * moderators: `!quote remove 12`, `!quote label 12 funny`, `!quote unlabel 12 funny`.
 */
export async function quoteCommand(ctx: ModuleContext): Promise<BotReply[]> {
  const { call, db } = ctx;
  const cmd = call.command!;
  const [sub, ...rest] = cmd.args;
  const mine = eq(memoryQuotes.communityId, call.communityId);
  if (!sub) {
    const q = await db.select().from(memoryQuotes).where(mine).orderBy(sql`random()`).limit(1).get();
    return say(call, q ? show(q) : `No quotes yet: add one with ${label(call)} add <text>.`);
  }
  if (/^[0-9]{1,9}$/.test(sub) && rest.length === 0) {
    const q = await db
      .select()
      .from(memoryQuotes)
      .where(and(mine, eq(memoryQuotes.number, Number(sub))))
      .get();
    return say(call, q ? show(q) + (await labelSuffix(ctx, "memory", q.id)) : `There is no quote #${sub}.`);
  }
  if (sub === "label" || sub === "unlabel") {
    const usage = say(call, `Usage: ${label(call)} ${sub} <number> <label>`);
    const refused = mayLabel(ctx, "quotes");
    if (refused) return refused;
    if (rest.length !== 2 || !/^[0-9]{1,9}$/.test(rest[0]!)) return usage;
    const q = await db
      .select({ id: memoryQuotes.id })
      .from(memoryQuotes)
      .where(and(mine, eq(memoryQuotes.number, Number(rest[0]))))
      .get();
    if (!q) return say(call, `There is no quote #${rest[0]}.`);
    return changeLabel(ctx, sub, { type: "memory", id: q.id, shown: `Quote #${rest[0]}` }, rest[1], usage, "memories");
  }
  if (sub === "tagged") {
    const usage = say(call, `Usage: ${label(call)} tagged <label>`);
    if (rest.length !== 1) return usage;
    const found = await taggedWith(ctx, "memory", rest[0], usage);
    if (!found.label) return found.reply;
    const rows = found.ids.length
      ? await db
          .select({ number: memoryQuotes.number })
          .from(memoryQuotes)
          .where(and(mine, inArray(memoryQuotes.id, found.ids)))
          .orderBy(memoryQuotes.number)
      : [];
    return say(
      call,
      rows.length
        ? `Quotes labelled ${found.label.name}: ${rows.map((r) => `#${r.number}`).join(", ")}`
        : `No quote is labelled ${found.label.name}.`,
    );
  }
  if (sub === "add") {
    const text = cmd.rawArgs.trim().slice(3).trim();
    if (!text) return say(call, `Usage: ${label(call)} add <text>`);
    if (text.length > MAX_TEXT) return tooLong(call, "That quote");
    if (call.simulated) return dry(call);
    // The next number in the same statement: two adds at once cannot take one number.
    const q = await ctx.env.DB.prepare(
      `INSERT INTO memory_quotes (id, community_id, number, text, added_by, created_at)
       SELECT ?1, ?2, coalesce(max(number), 0) + 1, ?3, ?4, ?5 FROM memory_quotes WHERE community_id = ?2
       RETURNING number`,
    )
      .bind(crypto.randomUUID(), call.communityId, text, call.user.username, ctx.now)
      .first<{ number: number }>();
    return say(call, `Quote #${q!.number} added.`);
  }
  if (sub === "search") {
    const word = rest.join(" ").trim();
    if (!word || word.length > 50) return say(call, `Usage: ${label(call)} search <word> (50 characters at most)`);
    const like = `%${word.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const found = await db
      .select({ number: memoryQuotes.number, text: memoryQuotes.text })
      .from(memoryQuotes)
      .where(and(mine, sql`lower(${memoryQuotes.text}) LIKE ${like} ESCAPE '\\'`))
      .orderBy(memoryQuotes.number)
      .limit(3);
    return say(call, found.length ? found.map(show).join(" | ") : `No quote mentions "${word}".`);
  }
  if (sub === "remove" && rest.length === 1 && /^[0-9]{1,9}$/.test(rest[0]!)) {
    if (!isModerator(call)) return denied(call, "remove quotes");
    if (call.simulated) return dry(call);
    const gone = await deleteQuote(ctx.env.DB, call.communityId, Number(rest[0]));
    return say(call, gone === null ? `There is no quote #${rest[0]}.` : `Quote #${rest[0]} removed.`);
  }
  return say(
    call,
    `Usage: ${label(call)} [<number> | add <text> | search <word> | tagged <label> | remove <number> | label/unlabel <number> <label>]`,
  );
}
