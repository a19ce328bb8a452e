import { integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { createdAt, id } from "../../../../lib/db/schema/columns.ts";
import { communities } from "../../../../lib/db/schema/communities.ts";

/** Quotes, numbered per community from 1 (`!quote 12`); numbers are never reused. */
export const memoryQuotes = sqliteTable(
  "memory_quotes",
  {
    id: id(),
    communityId: text("community_id")
      .notNull()
      .references(() => communities.id, { onDelete: "cascade" }),
    number: integer("number").notNull(),
    text: text("text").notNull(),
    addedBy: text("added_by").notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("memory_quotes_number").on(t.communityId, t.number)],
);

export const MEMORY_KINDS = ["url", "note"] as const;

/** Named URLs (`!url add docs https://…`) and notes (`!note add rules Be kind`). */
export const memoryEntries = sqliteTable(
  "memory_entries",
  {
    communityId: text("community_id")
      .notNull()
      .references(() => communities.id, { onDelete: "cascade" }),
    kind: text("kind", { enum: MEMORY_KINDS }).notNull(),
    name: text("name").notNull(),
    value: text("value").notNull(),
    addedBy: text("added_by").notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.communityId, t.kind, t.name] })],
);
