import { and, eq, isNull } from "drizzle-orm";
import { createDb } from "../../../../lib/db/client.ts";
import { apiKeys, type Platform, serviceAccounts } from "../../../../lib/db/schema/index.ts";
import { findIdentity, findUser } from "./linking.repo.ts";

/**
 * THE LINKING PROPERTY: no sequence of chat messages lets identity X gain login access to an
 * account X did not already control.
 *
 * How it holds:
 * 1. The code goes to the target's DM and must be typed back by the identity that asked
 *    (latestChatCodeOf), so a link proves the asker can read the target's DMs. A target who
 *    types a code a stranger asked for links nothing.
 * 2. An account with a login to protect (email or password, any past portal sign-in
 *    including platform OAuth, API keys, a service role, global admin) is never merged into
 *    or dissolved by a code alone: the link waits until that account's owner approves it
 *    while signed in to the portal (link-requests.routes.ts). Approval merges the asker's
 *    account INTO the protected one, so it keeps its email, password, keys and ownerships.
 * 3. Only accounts with nothing to sign in to (chat-only users) are merged on the code:
 *    the target's account folds into the asker's. The asker gains points and a chat
 *    identity it proved it controls, never a login.
 * 4. Two protected accounts are never merged automatically.
 */
type LinkPlan =
  | { kind: "attach" }
  | { kind: "merge"; survivor: string; merged: string }
  | { kind: "approval"; targetUserId: string }
  | { kind: "refuse"; message: string };

/** Whether a user has something a chat code must not reach: a login, keys, a role. */
export async function hasLoginToProtect(d1: D1Database, userId: string): Promise<boolean> {
  const user = await findUser(d1, userId);
  if (!user) return false;
  if (user.email || user.passwordHash || user.lastLoginAt || user.globalRole === "admin") return true;
  const db = createDb(d1);
  const [key, service] = await Promise.all([
    db
      .select({ id: apiKeys.id })
      .from(apiKeys)
      .where(and(eq(apiKeys.userId, userId), isNull(apiKeys.revokedAt)))
      .get(),
    db.select({ id: serviceAccounts.userId }).from(serviceAccounts).where(eq(serviceAccounts.userId, userId)).get(),
  ]);
  return key !== undefined || service !== undefined;
}

/** What a proven code may do: link directly, merge a chat-only account, or wait for approval. */
export async function planLink(
  d1: D1Database,
  requesterUserId: string,
  identity: { platform: Platform; platformUserId: string },
): Promise<LinkPlan> {
  const existing = await findIdentity(d1, identity.platform, identity.platformUserId);
  if (!existing || existing.userId === requesterUserId) return { kind: "attach" };
  const [requesterProtected, targetProtected] = await Promise.all([
    hasLoginToProtect(d1, requesterUserId),
    hasLoginToProtect(d1, existing.userId),
  ]);
  if (requesterProtected && targetProtected) {
    return { kind: "refuse", message: "Both accounts have a portal login; they cannot be merged automatically." };
  }
  if (targetProtected) return { kind: "approval", targetUserId: existing.userId };
  return { kind: "merge", survivor: requesterUserId, merged: existing.userId };
}
