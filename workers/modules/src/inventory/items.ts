import { and, eq, sql } from "drizzle-orm";
import type { Database } from "../../../../lib/db/client.ts";
import { inventoryItems } from "./schema.ts";

/** Kinds of item one owner may hold, and the most of one item. */
export const MAX_ITEMS = 50;
export const MAX_QTY = 1_000_000;

const held = (communityId: string, owner: string) =>
  and(eq(inventoryItems.communityId, communityId), eq(inventoryItems.owner, owner));

/** Adds `qty` of an item (capped at MAX_QTY); null when the owner already holds MAX_ITEMS other kinds. */
export async function addItems(db: Database, communityId: string, owner: string, item: string, qty: number) {
  const kinds = await db
    .select({ n: sql<number>`count(*)` })
    .from(inventoryItems)
    .where(held(communityId, owner))
    .get();
  const has = await db
    .select()
    .from(inventoryItems)
    .where(and(held(communityId, owner), eq(inventoryItems.item, item)))
    .get();
  if (!has && (kinds?.n ?? 0) >= MAX_ITEMS) return null;
  const [row] = await db
    .insert(inventoryItems)
    .values({ communityId, owner, item, quantity: Math.min(qty, MAX_QTY) })
    .onConflictDoUpdate({
      target: [inventoryItems.communityId, inventoryItems.owner, inventoryItems.item],
      set: { quantity: sql`min(${inventoryItems.quantity} + ${qty}, ${MAX_QTY})` },
    })
    .returning({ quantity: inventoryItems.quantity });
  return { before: has?.quantity ?? 0, after: row!.quantity };
}

/** Takes `qty` of an item away (an emptied row is removed); null when the owner has fewer. */
export async function takeItems(db: Database, communityId: string, owner: string, item: string, qty: number) {
  const [cut] = await db
    .update(inventoryItems)
    .set({ quantity: sql`${inventoryItems.quantity} - ${qty}` })
    .where(and(held(communityId, owner), eq(inventoryItems.item, item), sql`${inventoryItems.quantity} >= ${qty}`))
    .returning({ quantity: inventoryItems.quantity });
  if (!cut) return null;
  await db.delete(inventoryItems).where(and(held(communityId, owner), sql`${inventoryItems.quantity} <= 0`));
  return { before: cut.quantity + qty, after: cut.quantity };
}
