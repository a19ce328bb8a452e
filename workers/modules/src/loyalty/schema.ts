import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { createdAt, id } from "../../../../lib/db/schema/columns.ts";
import { communities } from "../../../../lib/db/schema/communities.ts";
import { users } from "../../../../lib/db/schema/users.ts";

/**
 * The loyalty module's ledger of `!give` transfers. Balances are the activity points already on
 * `community_members.points` (per user, so every linked identity shares one balance); this table
 * is the record of who moved how many to whom.
 */
export const loyaltyTransfers = sqliteTable(
  "loyalty_transfers",
  {
    id: id(),
    communityId: text("community_id")
      .notNull()
      .references(() => communities.id, { onDelete: "cascade" }),
    fromUserId: text("from_user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    toUserId: text("to_user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    amount: integer("amount").notNull(),
    createdAt: createdAt(),
  },
  (t) => [index("loyalty_transfers_community").on(t.communityId, t.createdAt)],
);
