import { and, eq, isNull, or, sql } from "drizzle-orm";
import type { Database } from "../../../../lib/db/client.ts";
import { commands, routerSettings } from "../../../../lib/db/schema/index.ts";

/** Queries for the command registry and the community's rate-limit settings (one place, for a later Postgres move). */
export type CommandRow = typeof commands.$inferSelect;
type NewCommand = Omit<typeof commands.$inferInsert, "id" | "createdAt" | "updatedAt" | "useCount">;
type SettingsRow = typeof routerSettings.$inferSelect;

/** Every row that applies to a community: its own and the global ones (not yet awaited: batched by the loader). */
export const commandRowsQuery = (db: Database, communityId: string) =>
  db
    .select()
    .from(commands)
    .where(or(eq(commands.communityId, communityId), isNull(commands.communityId)));

export const settingsQuery = (db: Database, communityId: string) =>
  db.select().from(routerSettings).where(eq(routerSettings.communityId, communityId));

export const listCommunityCommands = (db: Database, communityId: string) =>
  db.select().from(commands).where(eq(commands.communityId, communityId)).orderBy(commands.prefix, commands.name);

export const getCommand = (db: Database, communityId: string, id: string) =>
  db
    .select()
    .from(commands)
    .where(and(eq(commands.communityId, communityId), eq(commands.id, id)))
    .get();

export const findCommandByName = (db: Database, communityId: string, prefix: "!" | "#", name: string) =>
  db
    .select({ id: commands.id })
    .from(commands)
    .where(and(eq(commands.communityId, communityId), eq(commands.prefix, prefix), eq(commands.name, name)))
    .get();

export const insertCommand = (db: Database, values: NewCommand) => db.insert(commands).values(values).returning().get();

export const updateCommand = (db: Database, communityId: string, id: string, values: Partial<NewCommand>) =>
  db
    .update(commands)
    .set(values)
    .where(and(eq(commands.communityId, communityId), eq(commands.id, id)))
    .returning()
    .get();

export const deleteCommand = (db: Database, communityId: string, id: string) =>
  db
    .delete(commands)
    .where(and(eq(commands.communityId, communityId), eq(commands.id, id)))
    .returning({ id: commands.id })
    .get();

/** Counts one use; returns the new count (for {count}). */
export async function countUse(db: Database, id: string): Promise<number> {
  const row = await db
    .update(commands)
    .set({ useCount: sql`${commands.useCount} + 1` })
    .where(eq(commands.id, id))
    .returning({ useCount: commands.useCount })
    .get();
  return row?.useCount ?? 0;
}

/** The count the next use would give, without counting it (simulation's `{count}`). */
export async function peekUses(db: Database, id: string): Promise<number> {
  const row = await db.select({ useCount: commands.useCount }).from(commands).where(eq(commands.id, id)).get();
  return (row?.useCount ?? 0) + 1;
}

export async function upsertSettings(
  db: Database,
  communityId: string,
  values: Partial<Omit<SettingsRow, "communityId" | "updatedAt">>,
): Promise<SettingsRow> {
  return db
    .insert(routerSettings)
    .values({ communityId, ...values })
    .onConflictDoUpdate({ target: routerSettings.communityId, set: { ...values, updatedAt: new Date() } })
    .returning()
    .get();
}
