import { recordAudit } from "../../../../lib/audit.ts";
import { log } from "../../../../lib/log.ts";
import type { Env } from "../env.ts";
import { enqueueRoleSync, type RoleSyncMessage } from "./role-sync.ts";

/** The hourly cron runs the reconcile once a night, in this UTC hour (a quiet hour for most). */
const RECONCILE_HOUR_UTC = 4;

/**
 * Every (group, user) that should have a role (holders of a group's label) or that WaddleBot
 * recorded as given one. Each becomes one idempotent sync message, so drift either way is
 * repaired: a role removed by hand on the platform comes back, a removal that failed (or was
 * never enqueued) goes through, a user who linked their platform account since gets the role.
 */
const PAIRS_SQL = `
  SELECT g.community_id AS communityId, g.id AS groupId, el.entity_id AS userId
    FROM entity_groups g
    JOIN entity_labels el ON el.label_id = g.label_id AND el.entity_type = 'user'
   WHERE ?1 IS NULL OR g.community_id = ?1
  UNION
  SELECT community_id, group_id, user_id FROM role_assignments WHERE ?1 IS NULL OR community_id = ?1`;

/** Enqueues a sync for every pair (of one community, or of all); returns how many. */
export async function reconcileRoles(env: Env, communityId: string | null = null): Promise<number> {
  const { results } = await env.DB.prepare(PAIRS_SQL).bind(communityId).all<RoleSyncMessage>();
  await enqueueRoleSync(env, results);
  log.info("entity group reconcile enqueued", { pairs: results.length });
  await recordAudit(env.DB, {
    actorType: "system",
    actorId: null,
    communityId,
    action: "labels.reconcile",
    outcome: "success",
    details: { pairs: results.length },
  });
  return results.length;
}

/** Called by the router's hourly Cron Trigger: reconciles in the nightly hour only. */
export async function maybeReconcile(env: Env, scheduledTime: number): Promise<void> {
  if (new Date(scheduledTime).getUTCHours() !== RECONCILE_HOUR_UTC) return;
  try {
    await reconcileRoles(env);
  } catch (err) {
    log.error("entity group reconcile failed", { error: err });
  }
}
