/** The portal's changes to the first-party modules' data (lib/modules/manage.ts): one op each. */
import { and, eq } from "drizzle-orm";
import type * as z from "zod";
import type { Database } from "../../../lib/db/client.ts";
import { checkChannel } from "../../../lib/delivery/targets.ts";
import type { ManageOpSchema, ManageResult } from "../../../lib/modules/manage.ts";
import { change, counterValues } from "./counters/index.ts";
import type { Env } from "./env.ts";
import { drawFrom, isOpen, latestGiveaway, notDrawable, startGiveaway, winnerCard } from "./giveaways/index.ts";
import { addItems, MAX_ITEMS, takeItems } from "./inventory/items.ts";
import { memoryQuotes } from "./memories/schema.ts";
import { MAX_TIMERS, removeTimer, saveTimer } from "./timers/index.ts";

type Op = z.infer<typeof ManageOpSchema>;
const done = (
  message: string,
  from: unknown,
  to: unknown,
  overlay?: { title: string; html: string },
): ManageResult => ({
  ok: true,
  message,
  from,
  to,
  ...(overlay && { overlay }),
});
const refused = (status: 400 | 404 | 409, message: string): ManageResult => ({ ok: false, status, message });

export async function manage(env: Env, db: Database, communityId: string, op: Op, now: number): Promise<ManageResult> {
  switch (op.op) {
    case "quote.edit": {
      const where = and(eq(memoryQuotes.communityId, communityId), eq(memoryQuotes.number, op.number));
      const before = await db.select({ text: memoryQuotes.text }).from(memoryQuotes).where(where).get();
      if (!before) return refused(404, `There is no quote #${op.number}`);
      await db.update(memoryQuotes).set({ text: op.text }).where(where);
      return done(`Quote #${op.number} saved`, before, { text: op.text });
    }
    case "inventory.change": {
      const qty = Math.abs(op.quantity);
      if (op.quantity > 0) {
        const r = await addItems(db, communityId, op.owner, op.item, qty);
        if (!r) return refused(409, `${op.owner} already holds ${MAX_ITEMS} kinds of item`);
        return done(`Added ${qty} ${op.item}`, { quantity: r.before }, { quantity: r.after });
      }
      const r = await takeItems(db, communityId, op.owner, op.item, qty);
      if (!r) return refused(409, `${op.owner} does not have ${qty} ${op.item}`);
      return done(`Removed ${qty} ${op.item}`, { quantity: r.before }, { quantity: r.after });
    }
    case "counter.set": {
      const before = (await counterValues(db, communityId, [op.name]))[op.name] ?? 0;
      const value = await change(db, communityId, op.name, { value: op.value });
      return done(`${op.name} is ${value}`, { value: before }, { value });
    }
    case "timer.save": {
      const { op: _op, name, ...values } = op;
      // The delivery service refuses a channel that is not the community's own: refuse it here,
      // at the save, rather than keep a timer that fails every time it fires.
      const target = await checkChannel(env, communityId, values.platform, values.channelId);
      if (!target.ok) return refused(400, target.message);
      const saved = await saveTimer(env, db, communityId, name, values);
      if (!saved) return refused(409, `This community has ${MAX_TIMERS} timers, the most it can have`);
      const from = saved.previous && {
        platform: saved.previous.platform,
        channelId: saved.previous.channelId,
        message: saved.previous.message,
        intervalMin: saved.previous.intervalMin,
        minLines: saved.previous.minLines,
      };
      return done(`Timer ${name} saved`, from, values);
    }
    case "timer.remove": {
      const gone = await removeTimer(env, db, communityId, op.name);
      if (!gone) return refused(404, `There is no timer ${op.name}`);
      return done(`Timer ${op.name} removed`, { message: gone.message, intervalMin: gone.intervalMin }, null);
    }
    case "giveaway.start": {
      const open = await latestGiveaway(db, communityId);
      if (isOpen(open, now)) return refused(409, `A giveaway is already open (keyword ${open!.keyword})`);
      const values = {
        keyword: op.keyword,
        endsAt: new Date(now + op.minutes * 60_000),
        subscriberLuck: op.subscriberLuck ?? 1,
        startedBy: op.startedBy,
      };
      await startGiveaway(db, communityId, open, values);
      return done(`Giveaway "${op.keyword}" started`, null, { ...values, endsAt: values.endsAt.toISOString() });
    }
    case "giveaway.draw": {
      const g = await latestGiveaway(db, communityId);
      const why = notDrawable(g, op.redraw);
      if (why === "none") return refused(404, "There is no giveaway to draw");
      if (why === "not-drawn") return refused(409, "Nothing to re-draw yet: draw first");
      if (why === "drawn") return refused(409, "Already drawn: re-draw for another winner");
      const { winner, entries } = await drawFrom(db, g!, now);
      if (!winner)
        return refused(409, entries ? "Everyone who entered has already won" : "Nobody entered the giveaway");
      return done(
        `The winner of "${g!.keyword}" is ${winner.username}`,
        { winners: g!.winners.length },
        { winner: winner.username },
        winnerCard(g!.keyword, winner.username),
      );
    }
  }
}
