import { eq } from "drizzle-orm";
import { createDb } from "../../../../lib/db/client.ts";
import { apiKeys, type ServiceRole, serviceAccounts, users } from "../../../../lib/db/schema/index.ts";
import { newKeyRow } from "../keys/keys.repo.ts";

export function listServiceAccounts(d1: D1Database) {
  return createDb(d1)
    .select({
      userId: serviceAccounts.userId,
      name: users.displayName,
      role: serviceAccounts.role,
      createdAt: serviceAccounts.createdAt,
      disabledAt: users.disabledAt,
    })
    .from(serviceAccounts)
    .innerJoin(users, eq(users.id, serviceAccounts.userId))
    .orderBy(serviceAccounts.createdAt);
}

export async function findServiceAccount(d1: D1Database, userId: string) {
  return (await listServiceAccounts(d1)).find((s) => s.userId === userId);
}

/**
 * A machine user (no email, no password), its service role and its first API key, in one D1
 * batch: a failure leaves no account without a key (and no key without an account) behind.
 */
export async function createServiceAccount(
  d1: D1Database,
  name: string,
  role: ServiceRole,
  firstKey: { expiresAt: Date },
): Promise<{ userId: string; key: string; keyRow: typeof apiKeys.$inferSelect }> {
  const db = createDb(d1);
  const userId = crypto.randomUUID();
  const { key, row } = await newKeyRow(userId, "service key", null, firstKey.expiresAt);
  const [, , inserted] = await db.batch([
    db.insert(users).values({ id: userId, displayName: name, globalRole: "user" }),
    db.insert(serviceAccounts).values({ userId, role }),
    db.insert(apiKeys).values(row).returning(),
  ]);
  return { userId, key, keyRow: inserted[0]! };
}

/** Disables a service account: every key of it stops working at once. */
export async function disableServiceAccount(d1: D1Database, userId: string, now = new Date()): Promise<void> {
  await createDb(d1).update(users).set({ disabledAt: now }).where(eq(users.id, userId));
}
