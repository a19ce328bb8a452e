import { z } from "@hono/zod-openapi";
import { and, desc, eq } from "drizzle-orm";
import { recordAudit } from "../../../../lib/audit.ts";
import { createDb, type Database } from "../../../../lib/db/client.ts";
import {
  communityMembers,
  communityPlatforms,
  entityGroups,
  entityLabels,
  type Platform,
  roleAssignments,
  userIdentities,
} from "../../../../lib/db/schema/index.ts";
import { log } from "../../../../lib/log.ts";
import { PlatformError } from "../../../../lib/platforms/http.ts";
import { setPlatformRole } from "../../../../lib/platforms/roles.ts";
import type { Env } from "../env.ts";
import { retryDelaySeconds } from "../queue-backoff.ts";

/**
 * Entity groups on the platform. A label change only enqueues "bring (group, user) up to
 * date"; the consumer reads what is wanted when it runs (group exists and the user carries its
 * label), so messages are idempotent and their order does not matter: add-then-remove in quick
 * succession ends with the role removed whichever message runs last.
 */
export const RoleSyncMessage = z.object({ communityId: z.uuid(), groupId: z.uuid(), userId: z.string().min(1) });
export type RoleSyncMessage = z.infer<typeof RoleSyncMessage>;

/** Queue messages per send: local Queues fail above 100 (STACK-NOTES §13). */
const SEND_CHUNK = 100;
/** Deliveries before a failing change is recorded as failed (wrangler.toml max_retries + 1). */
export const ROLE_SYNC_MAX_ATTEMPTS = 6;

/** Enqueues; a failed send is logged and audited, and the nightly reconcile repairs it. */
export async function enqueueRoleSync(env: Env, messages: RoleSyncMessage[]): Promise<void> {
  for (let i = 0; i < messages.length; i += SEND_CHUNK) {
    const chunk = messages.slice(i, i + SEND_CHUNK);
    try {
      await env.ROLE_SYNC.sendBatch(chunk.map((body) => ({ body })));
    } catch (err) {
      log.error("role sync enqueue failed (the nightly reconcile repairs it)", { error: err });
      await recordAudit(env.DB, {
        actorType: "system",
        actorId: null,
        communityId: chunk[0]?.communityId ?? null,
        action: "labels.role_sync_enqueue",
        outcome: "failure",
        details: { messages: chunk.length, error: String(err) },
      });
    }
  }
}

/** The messages for users whose labels changed: one per (entity group of that label, user). */
export async function messagesFor(
  db: Database,
  communityId: string,
  changes: { userId: string; labelId: string }[],
): Promise<RoleSyncMessage[]> {
  if (changes.length === 0) return [];
  // A community has few groups (MAX_ENTITY_GROUPS): all of them, matched here, whatever the number of labels.
  const groups = await db
    .select({ id: entityGroups.id, labelId: entityGroups.labelId })
    .from(entityGroups)
    .where(eq(entityGroups.communityId, communityId));
  return changes.flatMap((c) =>
    groups.filter((g) => g.labelId === c.labelId).map((g) => ({ communityId, groupId: g.id, userId: c.userId })),
  );
}

async function wanted(db: Database, communityId: string, userId: string, labelId: string): Promise<boolean> {
  const [member, label] = await db.batch([
    db
      .select({ userId: communityMembers.userId })
      .from(communityMembers)
      .where(and(eq(communityMembers.communityId, communityId), eq(communityMembers.userId, userId))),
    db
      .select({ labelId: entityLabels.labelId })
      .from(entityLabels)
      .where(
        and(
          eq(entityLabels.communityId, communityId),
          eq(entityLabels.entityType, "user"),
          eq(entityLabels.entityId, userId),
          eq(entityLabels.labelId, labelId),
        ),
      ),
  ]);
  return member.length > 0 && label.length > 0;
}

/** The user's account on the platform (a verified link first), and the community's space there. */
async function whereOnPlatform(db: Database, communityId: string, userId: string, platform: Platform) {
  const [identities, spaces] = await db.batch([
    db
      .select({ platformUserId: userIdentities.platformUserId })
      .from(userIdentities)
      .where(and(eq(userIdentities.userId, userId), eq(userIdentities.platform, platform)))
      .orderBy(desc(userIdentities.verifiedAt)),
    db
      .select({ platformId: communityPlatforms.platformId })
      .from(communityPlatforms)
      .where(
        and(
          eq(communityPlatforms.communityId, communityId),
          eq(communityPlatforms.platform, platform),
          eq(communityPlatforms.status, "active"),
        ),
      ),
  ]);
  return { platformUserId: identities[0]?.platformUserId ?? null, spaceId: spaces[0]?.platformId ?? null };
}

/** Brings one (group, user) up to date on the platform. Throws PlatformError (or a D1 error). */
async function syncOne(env: Env, msg: RoleSyncMessage): Promise<"added" | "removed" | "nothing"> {
  const db = createDb(env.DB);
  const { communityId, groupId, userId } = msg;
  const [group, assignment] = await db
    .batch([
      db
        .select()
        .from(entityGroups)
        .where(and(eq(entityGroups.id, groupId), eq(entityGroups.communityId, communityId))),
      db
        .select()
        .from(roleAssignments)
        .where(and(eq(roleAssignments.groupId, groupId), eq(roleAssignments.userId, userId))),
    ])
    .then(([g, a]) => [g[0], a[0]] as const);
  const platform = group?.platform ?? assignment?.platform;
  const roleId = group?.roleId ?? assignment?.roleId;
  if (!platform || !roleId) return "nothing";
  const want = group ? await wanted(db, communityId, userId, group.labelId) : false;
  const { platformUserId, spaceId } = await whereOnPlatform(db, communityId, userId, platform);
  if (!spaceId) throw new PlatformError(platform, 404, `the community has no active ${platform} link`);
  const target = (puid: string) => ({ platform, spaceId, roleId, platformUserId: puid });
  const audit = (action: string, puid: string) =>
    recordAudit(env.DB, {
      actorType: "system",
      actorId: null,
      communityId,
      action,
      targetType: "user",
      targetId: userId,
      outcome: "success",
      details: { groupId, platform, roleId, platformUserId: puid },
    });

  // What WaddleBot gave before goes first when it is no longer wanted, or no longer on the
  // user's current platform account (they unlinked it, or linked another).
  const stale = assignment && (!want || assignment.platformUserId !== platformUserId);
  if (stale) {
    await setPlatformRole(env, communityId, target(assignment.platformUserId), false);
    await db
      .delete(roleAssignments)
      .where(and(eq(roleAssignments.groupId, groupId), eq(roleAssignments.userId, userId)));
    await audit("labels.role_removed", assignment.platformUserId);
  }
  if (want && platformUserId) {
    await setPlatformRole(env, communityId, target(platformUserId), true);
    const row = { groupId, communityId, userId, platform, roleId, platformUserId, assignedAt: new Date() };
    await db
      .insert(roleAssignments)
      .values(row)
      .onConflictDoUpdate({ target: [roleAssignments.groupId, roleAssignments.userId], set: row });
    if (!assignment || stale) await audit("labels.role_added", platformUserId);
    return "added";
  }
  // Not wanted and nothing recorded: still take it off the current account (idempotent), in
  // case the role was given but its record was never written.
  if (!want && !assignment && group && platformUserId) {
    await setPlatformRole(env, communityId, target(platformUserId), false);
  }
  return stale ? "removed" : "nothing";
}

/** The role-sync queue's consumer: retried with backoff; a change that keeps failing is audited as failed. */
export async function consumeRoleSync(env: Env, batch: MessageBatch<unknown>): Promise<void> {
  for (const message of batch.messages) {
    const parsed = RoleSyncMessage.safeParse(message.body);
    if (!parsed.success) {
      log.warn("invalid role sync message dropped", { id: message.id });
      message.ack();
      continue;
    }
    try {
      await syncOne(env, parsed.data);
      message.ack();
    } catch (err) {
      const permanent = err instanceof PlatformError && !err.transient;
      if (!permanent && message.attempts < ROLE_SYNC_MAX_ATTEMPTS) {
        log.warn("role sync failed, will retry", { attempts: message.attempts, error: err });
        message.retry({ delaySeconds: retryDelaySeconds(env, message.attempts) });
        continue;
      }
      await recordAudit(env.DB, {
        actorType: "system",
        actorId: null,
        communityId: parsed.data.communityId,
        action: "labels.role_sync",
        targetType: "user",
        targetId: parsed.data.userId,
        outcome: "failure",
        details: { groupId: parsed.data.groupId, attempts: message.attempts, error: (err as Error).message },
      });
      message.ack();
    }
  }
}
