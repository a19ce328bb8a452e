import { integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { communities } from "../../../../lib/db/schema/communities.ts";

/**
 * Items held in a community: `owner` is `<platform>:<lowercase username>` (so `!inv give @ada`
 * needs no id lookup) or `community` for the community's own stock.
 */
export const inventoryItems = sqliteTable(
  "inventory_items",
  {
    communityId: text("community_id")
      .notNull()
      .references(() => communities.id, { onDelete: "cascade" }),
    owner: text("owner").notNull(),
    item: text("item").notNull(),
    quantity: integer("quantity").notNull(),
  },
  (t) => [primaryKey({ columns: [t.communityId, t.owner, t.item] })],
);
