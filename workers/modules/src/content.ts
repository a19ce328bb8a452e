/** What the portal shows of a community's first-party module data (read through RPC). */
import { desc, eq, sql } from "drizzle-orm";
import type { Database } from "../../../lib/db/client.ts";
import { dropEntityLabels, labelNamesByEntity } from "../../../lib/labels/entity-labels.ts";
import type { ModuleContent } from "../../../lib/modules/contract.ts";
import { moduleCounters } from "./counters/schema.ts";
import { giveawayEntries, giveaways } from "./giveaways/schema.ts";
import { inventoryItems } from "./inventory/schema.ts";
import { leaderboard } from "./loyalty/index.ts";
import { memoryQuotes } from "./memories/schema.ts";
import { moduleTimers } from "./timers/schema.ts";

export async function moduleContent(db: Database, d1: D1Database, communityId: string): Promise<ModuleContent> {
  const [quotes, counters, top, recent, timers, inventory, memoryLabels, itemLabels] = await Promise.all([
    db
      .select({
        id: memoryQuotes.id,
        number: memoryQuotes.number,
        text: memoryQuotes.text,
        addedBy: memoryQuotes.addedBy,
        createdAt: memoryQuotes.createdAt,
      })
      .from(memoryQuotes)
      .where(eq(memoryQuotes.communityId, communityId))
      .orderBy(desc(memoryQuotes.number))
      .limit(200),
    db
      .select({ name: moduleCounters.name, value: moduleCounters.value })
      .from(moduleCounters)
      .where(eq(moduleCounters.communityId, communityId))
      .orderBy(moduleCounters.name)
      .limit(100),
    leaderboard(db, communityId, 20),
    db
      .select({
        id: giveaways.id,
        keyword: giveaways.keyword,
        status: giveaways.status,
        endsAt: giveaways.endsAt,
        winners: giveaways.winners,
        entries: sql<number>`(SELECT count(*) FROM ${giveawayEntries} WHERE ${giveawayEntries.giveawayId} = ${giveaways.id})`,
      })
      .from(giveaways)
      .where(eq(giveaways.communityId, communityId))
      .orderBy(desc(giveaways.createdAt))
      .limit(20),
    db
      .select({
        name: moduleTimers.name,
        platform: moduleTimers.platform,
        channelId: moduleTimers.channelId,
        message: moduleTimers.message,
        intervalMin: moduleTimers.intervalMin,
        minLines: moduleTimers.minLines,
      })
      .from(moduleTimers)
      .where(eq(moduleTimers.communityId, communityId))
      .orderBy(moduleTimers.name),
    db
      .select({ owner: inventoryItems.owner, item: inventoryItems.item, quantity: inventoryItems.quantity })
      .from(inventoryItems)
      .where(eq(inventoryItems.communityId, communityId))
      .orderBy(inventoryItems.owner, inventoryItems.item)
      .limit(500),
    labelNamesByEntity(d1, communityId, "memory"),
    labelNamesByEntity(d1, communityId, "inventory_item"),
  ]);
  return {
    quotes: quotes.map(({ id, ...q }) => ({
      ...q,
      createdAt: q.createdAt.toISOString(),
      labels: memoryLabels.get(id) ?? [],
    })),
    counters,
    inventory: inventory.map((i) => ({ ...i, labels: itemLabels.get(i.item) ?? [] })),
    leaderboard: top.map((r) => ({ name: r.name, points: r.points })),
    giveaways: recent.map((g) => ({
      ...g,
      endsAt: g.endsAt.toISOString(),
      entries: Number(g.entries),
      winners: g.winners.map((w) => w.username),
    })),
    timers,
  };
}

/**
 * Deletes one quote by number, and its labels with it (entity_labels has no foreign key to
 * module tables), in one batch; null when there is none.
 */
export async function deleteQuote(d1: D1Database, communityId: string, number: number): Promise<string | null> {
  const quote = await d1
    .prepare("SELECT id FROM memory_quotes WHERE community_id = ? AND number = ?")
    .bind(communityId, number)
    .first<{ id: string }>();
  if (!quote) return null;
  const [, gone] = await d1.batch<{ text: string }>([
    dropEntityLabels(d1, { communityId, entityType: "memory", entityId: quote.id }),
    d1.prepare("DELETE FROM memory_quotes WHERE id = ? RETURNING text").bind(quote.id),
  ]);
  return gone?.results[0]?.text ?? null;
}
