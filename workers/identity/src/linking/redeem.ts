import { recordAudit } from "../../../../lib/audit.ts";
import type { Platform } from "../../../../lib/db/schema/index.ts";
import { safeEqual } from "../crypto.ts";
import type { Env } from "../env.ts";
import { hashCode, MAX_CODE_ATTEMPTS } from "./codes.ts";
import { planLink } from "./link-policy.ts";
import { insertLinkRequest } from "./link-requests.repo.ts";
import { type CodeRow, claimCode, reserveTry } from "./linking.repo.ts";
import { attachIdentity, type LinkOutcome, mergeUsers } from "./merge.ts";
import { PLATFORM_LABEL } from "./resolve.ts";

type CheckResult =
  | { ok: true; status: "linked"; outcome: LinkOutcome }
  | { ok: true; status: "pending"; requestId: string; message: string }
  | { ok: false; reason: "none" | "expired" | "dead" | "wrong" | "conflict"; message: string };

interface RedeemAudit {
  actorId: string;
  requestId?: string | null;
  /** The chat identity typing the code (shown to the approver when the link must wait). */
  typedBy?: { platform: Platform; username: string };
}

/**
 * Checks a code typed by the requester against its pending row and, when right, applies the
 * linking policy (link-policy.ts): link, merge a chat-only account, or wait for approval.
 * A try is reserved atomically before the comparison, so parallel guesses share the five
 * tries instead of each getting its own; a code works once.
 */
export async function redeemCode(
  env: Env,
  row: CodeRow | undefined,
  typed: string,
  audit: RedeemAudit,
  now = Date.now(),
): Promise<CheckResult> {
  if (!row) {
    return {
      ok: false,
      reason: "none",
      message: "You have no pending link code. Ask for one with !identity link, then type the code you were sent here.",
    };
  }
  if (row.expiresAt.getTime() <= now) {
    return { ok: false, reason: "expired", message: "That code has expired (codes last 10 minutes). Ask again." };
  }
  const tries = await reserveTry(env.DB, row.id, now);
  if (tries === null) {
    return { ok: false, reason: "dead", message: "That code had too many tries or was used, and no longer works." };
  }
  if (!safeEqual(await hashCode(row.id, typed), row.codeHash)) {
    await recordAudit(env.DB, {
      requestId: audit.requestId ?? null,
      actorType: "user",
      actorId: audit.actorId,
      action: "identity.verify",
      targetType: "verification_code",
      targetId: row.id,
      outcome: "failure",
      details: { attempts: tries },
    });
    const left = Math.max(0, MAX_CODE_ATTEMPTS - tries);
    return left === 0
      ? { ok: false, reason: "dead", message: "Wrong code. That was the last try: ask for a new code." }
      : { ok: false, reason: "wrong", message: `Wrong code; ${left} ${left === 1 ? "try" : "tries"} left.` };
  }
  if (!(await claimCode(env.DB, row.id, now))) {
    return { ok: false, reason: "dead", message: "That code has already been used." };
  }
  const identity = {
    platform: row.targetPlatform,
    platformUserId: row.targetPlatformUserId,
    username: row.targetUsername,
  };
  const plan = await planLink(env.DB, row.requesterUserId, identity);
  const auditLink = (details: Record<string, unknown>, outcome: "success" | "failure" = "success") =>
    recordAudit(env.DB, {
      requestId: audit.requestId ?? null,
      actorType: "user",
      actorId: audit.actorId,
      action: "identity.link",
      targetType: "identity",
      targetId: `${row.targetPlatform}:${row.targetPlatformUserId}`,
      outcome,
      details: { channel: row.channel, ...details },
    });
  if (plan.kind === "refuse") {
    await auditLink({ refused: plan.message }, "failure");
    return { ok: false, reason: "conflict", message: plan.message };
  }
  if (plan.kind === "approval") {
    const requestId = await insertLinkRequest(
      env.DB,
      {
        requesterUserId: row.requesterUserId,
        requesterPlatform: audit.typedBy?.platform ?? row.requesterPlatform ?? row.targetPlatform,
        requesterUsername: audit.typedBy?.username ?? "a portal user",
        targetUserId: plan.targetUserId,
        targetPlatform: row.targetPlatform,
        targetPlatformUserId: row.targetPlatformUserId,
      },
      now,
    );
    await auditLink({ pendingApproval: requestId, targetUserId: plan.targetUserId });
    const label = PLATFORM_LABEL[row.targetPlatform];
    return {
      ok: true,
      status: "pending",
      requestId,
      message:
        `Code accepted. ${row.targetUsername} on ${label} belongs to a WaddleBot account with a portal login, ` +
        "so its owner must approve the link in the portal (Linked accounts) within 7 days. Nothing is linked until then.",
    };
  }
  const outcome =
    plan.kind === "attach"
      ? await attachIdentity(env.DB, row.requesterUserId, identity, now)
      : await mergeUsers(env.DB, plan.survivor, plan.merged, identity, now);
  await auditLink({ userId: outcome.userId, mergedUserId: outcome.mergedUserId });
  return { ok: true, status: "linked", outcome };
}
