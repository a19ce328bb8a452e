import { and, asc, eq } from "drizzle-orm";
import { recordAudit } from "../../../../lib/audit.ts";
import type { ModuleCall } from "../../../../lib/modules/contract.ts";
import { bareName, denied, dry, type FirstPartyModule, isModerator, label, NAME, parseIntIn, say } from "../kit.ts";
import { changeLabel, mayLabel, taggedWith } from "../labels-chat.ts";
import { addItems, MAX_ITEMS, MAX_QTY, takeItems } from "./items.ts";
import { manifest } from "./manifest.ts";
import { inventoryItems } from "./schema.ts";

const ownerOf = (call: ModuleCall, name?: string) =>
  name === "community" ? "community" : `${call.platform}:${(name ? bareName(name) : call.user.username).toLowerCase()}`;
const shown = (owner: string) => (owner === "community" ? "The community" : owner.slice(owner.indexOf(":") + 1));

export const inventory: FirstPartyModule = {
  manifest,
  async command(ctx) {
    const { env, db, call } = ctx;
    const [sub, ...rest] = call.command!.args;
    const usage = say(
      call,
      `Usage: ${label(call)} [@user] | give @user <item> [n] | add <item> [n] [@user] | remove <item> [n] [@user]`,
    );
    const mine = eq(inventoryItems.communityId, call.communityId);
    if (!sub || (sub.startsWith("@") && rest.length === 0) || (sub === "community" && rest.length === 0)) {
      const owner = ownerOf(call, sub);
      const rows = await db
        .select({ item: inventoryItems.item, quantity: inventoryItems.quantity })
        .from(inventoryItems)
        .where(and(mine, eq(inventoryItems.owner, owner)))
        .orderBy(asc(inventoryItems.item));
      if (rows.length === 0) return say(call, `${shown(owner)} has nothing yet.`);
      return say(call, `${shown(owner)} has: ${rows.map((r) => `${r.item} ×${r.quantity}`).join(", ")}`);
    }
    // Labels go on the community's item kind ("sword"), not on one holder's row: every holder's
    // swords carry them, and they survive a holder running out.
    if (sub === "label" || sub === "unlabel") {
      const labelUsage = say(call, `Usage: ${label(call)} ${sub} <item> <label>`);
      const refused = mayLabel(ctx, "items");
      if (refused) return refused;
      const key = rest[0]?.toLowerCase();
      if (rest.length !== 2 || !key || !NAME.test(key)) return labelUsage;
      const known = await db
        .select({ item: inventoryItems.item })
        .from(inventoryItems)
        .where(and(mine, eq(inventoryItems.item, key)))
        .get();
      if (!known) return say(call, `No one in this community holds any ${key}.`);
      return changeLabel(
        ctx,
        sub,
        { type: "inventory_item", id: key, shown: `Item ${key}` },
        rest[1],
        labelUsage,
        "inventory",
      );
    }
    if (sub === "tagged") {
      const taggedUsage = say(call, `Usage: ${label(call)} tagged <label>`);
      if (rest.length !== 1) return taggedUsage;
      const found = await taggedWith(ctx, "inventory_item", rest[0], taggedUsage);
      if (!found.label) return found.reply;
      const { name } = found.label;
      return say(
        call,
        found.ids.length ? `Items labelled ${name}: ${found.ids.join(", ")}` : `No item is labelled ${name}.`,
      );
    }
    if (sub === "give") {
      const [to, item, n] = rest;
      const qty = n === undefined ? 1 : parseIntIn(n, 1, MAX_QTY);
      if (!to || !item || !NAME.test(item.toLowerCase()) || qty === null || rest.length > 3) return usage;
      const from = ownerOf(call);
      const target = ownerOf(call, to);
      if (target === from) return say(call, "You cannot give an item to yourself.");
      if (call.simulated) return dry(call);
      const key = item.toLowerCase();
      // Taken only if held, added only if taken, emptied rows removed: one transaction.
      const [taken] = await env.DB.batch([
        env.DB.prepare(
          "UPDATE inventory_items SET quantity = quantity - ?4 WHERE community_id = ?1 AND owner = ?2 AND item = ?3 AND quantity >= ?4",
        ).bind(call.communityId, from, key, qty),
        env.DB.prepare(
          `INSERT INTO inventory_items (community_id, owner, item, quantity) SELECT ?1, ?2, ?3, ?4 WHERE changes() = 1
           ON CONFLICT (community_id, owner, item) DO UPDATE SET quantity = min(quantity + excluded.quantity, ${MAX_QTY})`,
        ).bind(call.communityId, target, key, qty),
        env.DB.prepare("DELETE FROM inventory_items WHERE community_id = ? AND owner = ? AND quantity <= 0").bind(
          call.communityId,
          from,
        ),
      ]);
      if ((taken?.meta.changes ?? 0) !== 1) return say(call, `You do not have ${qty} ${key}.`);
      return say(call, `${call.user.username} gave ${qty} ${key} to ${shown(target)}.`);
    }
    if (sub !== "add" && sub !== "remove") return usage;
    const [item, n, who] = rest;
    const key = item?.toLowerCase();
    const qty = n === undefined ? 1 : parseIntIn(n, 1, MAX_QTY);
    if (!key || !NAME.test(key) || qty === null || rest.length > 3) return usage;
    if (!isModerator(call)) return denied(call, `${sub} items`);
    const owner = ownerOf(call, who);
    if (call.simulated) return dry(call);
    if (sub === "add") {
      if ((await addItems(db, call.communityId, owner, key, qty)) === null)
        return say(call, `${shown(owner)} already holds ${MAX_ITEMS} kinds of item.`);
    } else if ((await takeItems(db, call.communityId, owner, key, qty)) === null) {
      return say(call, `${shown(owner)} does not have ${qty} ${key}.`);
    }
    // A moderator's change to someone's items is on the audit trail (who, what, how many).
    await recordAudit(env.DB, {
      communityId: call.communityId,
      actorType: "platform",
      actorId: `${call.platform}:${call.user.id}`,
      action: `module.inventory.${sub}`,
      targetType: "inventory",
      targetId: owner,
      outcome: "success",
      details: { item: key, quantity: qty },
    });
    return say(
      call,
      `${sub === "add" ? "Added" : "Removed"} ${qty} ${key} ${sub === "add" ? "to" : "from"} ${shown(owner)}.`,
    );
  },
};
