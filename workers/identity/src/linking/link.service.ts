import { recordAudit } from "../../../../lib/audit.ts";
import type { Platform } from "../../../../lib/db/schema/index.ts";
import { log } from "../../../../lib/log.ts";
import { PlatformError } from "../../../../lib/platforms/http.ts";
import { safeEqual } from "../crypto.ts";
import type { Env } from "../env.ts";
import { generateCode, hashCode, MAX_CODE_ATTEMPTS } from "./codes.ts";
import { deliverCode } from "./deliver.ts";
import { hitLinkLimit } from "./limits.ts";
import { type CodeRow, claimCode, deleteCode, findIdentity, insertCode, recordWrongTry } from "./linking.repo.ts";
import { type LinkOutcome, linkIdentity } from "./merge.ts";
import { PLATFORM_LABEL, resolveTarget } from "./resolve.ts";

export type Refusal = "invalid" | "rate_limited" | "not_found" | "already_linked" | "delivery_failed";
export type RequestResult =
  | { ok: true; message: string; target: { platform: Platform; platformUserId: string; username: string } }
  | { ok: false; message: string; reason: Refusal; retryAfterMs?: number };

/**
 * Sends a link code to `target` on its platform, on behalf of `requester`. Shared by the
 * chat flow (`!identity link`) and the portal (POST /api/v1/me/identities).
 */
export async function requestLinkCode(
  env: Env,
  requester: { userId: string; name: string },
  channel: "chat" | "portal",
  target: { platform: Platform; username: string },
): Promise<RequestResult> {
  const label = PLATFORM_LABEL[target.platform];
  const limit = await hitLinkLimit(env, requester.userId);
  if (!limit.allowed) {
    const minutes = Math.ceil(limit.retryAfterMs / 60_000);
    return {
      ok: false,
      reason: "rate_limited",
      retryAfterMs: limit.retryAfterMs,
      message: `Too many link requests; try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`,
    };
  }
  let resolved: Awaited<ReturnType<typeof resolveTarget>>;
  try {
    resolved = await resolveTarget(env, target.platform, target.username);
  } catch (err) {
    log.warn("link target lookup failed", { platform: target.platform, error: err });
    return { ok: false, reason: "delivery_failed", message: `I could not look up that ${label} user just now.` };
  }
  if (!resolved.ok) return { ok: false, reason: "not_found", message: resolved.message };
  const existing = await findIdentity(env.DB, target.platform, resolved.platformUserId);
  if (existing?.userId === requester.userId) {
    return { ok: false, reason: "already_linked", message: `${resolved.username} on ${label} is already linked.` };
  }
  const code = generateCode();
  const targetRow = { platform: target.platform, platformUserId: resolved.platformUserId, username: resolved.username };
  const codeId = await insertCode(
    env.DB,
    {
      requesterUserId: requester.userId,
      channel,
      targetPlatform: target.platform,
      targetPlatformUserId: resolved.platformUserId,
      targetUsername: resolved.username,
    },
    code,
  );
  try {
    await deliverCode(env, targetRow, code, { channel, requester: requester.name });
  } catch (err) {
    await deleteCode(env.DB, codeId);
    const why = err instanceof PlatformError ? err.message : "unknown error";
    log.warn("link code delivery failed", { platform: target.platform, error: why });
    return {
      ok: false,
      reason: "delivery_failed",
      message: `I could not message ${resolved.username} on ${label} (their DMs or whispers may be closed).`,
    };
  }
  const where = channel === "chat" ? `type !verify CODE on ${label}` : "enter it here";
  return {
    ok: true,
    target: targetRow,
    message: `I sent a code to ${resolved.username} on ${label}: ${where} within 10 minutes.`,
  };
}

export type CheckResult =
  | { ok: true; outcome: LinkOutcome }
  | { ok: false; reason: "none" | "expired" | "dead" | "wrong"; message: string };

/**
 * Checks a typed code against the pending code row and, when right, links the target
 * identity to the requester. Five wrong tries kill a code; a code works once.
 */
export async function redeemCode(
  env: Env,
  row: CodeRow | undefined,
  typed: string,
  audit: { actorId: string; requestId?: string | null },
  now = Date.now(),
): Promise<CheckResult> {
  if (!row) return { ok: false, reason: "none", message: "You have no pending link code. Ask for one first." };
  if (row.attempts >= MAX_CODE_ATTEMPTS) {
    return { ok: false, reason: "dead", message: "That code had too many wrong tries and no longer works." };
  }
  if (row.expiresAt.getTime() <= now) {
    return { ok: false, reason: "expired", message: "That code has expired (codes last 10 minutes). Ask again." };
  }
  if (!safeEqual(await hashCode(row.id, typed), row.codeHash)) {
    const used = await recordWrongTry(env.DB, row.id);
    await recordAudit(env.DB, {
      requestId: audit.requestId ?? null,
      actorType: "user",
      actorId: audit.actorId,
      action: "identity.verify",
      targetType: "verification_code",
      targetId: row.id,
      outcome: "failure",
      details: { attempts: used },
    });
    const left = Math.max(0, MAX_CODE_ATTEMPTS - used);
    return left === 0
      ? { ok: false, reason: "dead", message: "Wrong code. That was the last try: ask for a new code." }
      : { ok: false, reason: "wrong", message: `Wrong code; ${left} ${left === 1 ? "try" : "tries"} left.` };
  }
  if (!(await claimCode(env.DB, row.id, now))) {
    return { ok: false, reason: "dead", message: "That code has already been used." };
  }
  const outcome = await linkIdentity(
    env.DB,
    row.requesterUserId,
    { platform: row.targetPlatform, platformUserId: row.targetPlatformUserId, username: row.targetUsername },
    now,
  );
  await recordAudit(env.DB, {
    requestId: audit.requestId ?? null,
    actorType: "user",
    actorId: audit.actorId,
    action: "identity.link",
    targetType: "identity",
    targetId: `${row.targetPlatform}:${row.targetPlatformUserId}`,
    outcome: "success",
    details: { userId: outcome.userId, mergedUserId: outcome.mergedUserId, channel: row.channel },
  });
  return { ok: true, outcome };
}
