import type { Platform } from "../../../../lib/db/schema/index.ts";
import { log } from "../../../../lib/log.ts";
import { PlatformError } from "../../../../lib/platforms/http.ts";
import type { Env } from "../env.ts";
import { generateCode } from "./codes.ts";
import { deliverCode } from "./deliver.ts";
import { hitCommunityLimit, hitLinkLimit, hitTargetLimit } from "./limits.ts";
import { deleteCode, findIdentity, insertCode } from "./linking.repo.ts";
import { PLATFORM_LABEL, resolveTarget } from "./resolve.ts";

type Refusal = "invalid" | "rate_limited" | "not_found" | "already_linked" | "delivery_failed";
type RequestResult =
  | { ok: true; message: string; target: { platform: Platform; platformUserId: string; username: string } }
  | { ok: false; message: string; reason: Refusal; retryAfterMs?: number };

/** Who asks for a link: the account, how to name it in the DM, and (in chat) the identity typing. */
export interface Requester {
  userId: string;
  /** "bob" (chat) or the portal display name. */
  name: string;
  /** Where they asked: "Twitch", "the WaddleBot portal". */
  via: string;
  /** The chat identity that asked: only it may type the code back. */
  identity?: { platform: Platform; platformUserId: string };
}

function refusedByLimit(limit: { allowed: boolean; retryAfterMs: number }, what: string): RequestResult | null {
  if (limit.allowed) return null;
  const minutes = Math.ceil(limit.retryAfterMs / 60_000);
  return {
    ok: false,
    reason: "rate_limited",
    retryAfterMs: limit.retryAfterMs,
    message: `${what}; try again in ${minutes} minute${minutes === 1 ? "" : "s"}.`,
  };
}

/**
 * Sends a link code to `target` on its platform, on behalf of `requester`. Shared by the
 * chat flow (`!identity link`) and the portal (POST /api/v1/me/identities). Limited per
 * requester, per community (chat) and per target, so nobody can DM-flood a victim.
 */
export async function requestLinkCode(
  env: Env,
  requester: Requester,
  channel: "chat" | "portal",
  target: { platform: Platform; username: string },
  context: { community?: string | undefined } = {},
): Promise<RequestResult> {
  const label = PLATFORM_LABEL[target.platform];
  const mine = refusedByLimit(await hitLinkLimit(env, requester.userId), "Too many link requests");
  if (mine) return mine;
  if (context.community) {
    const here = refusedByLimit(
      await hitCommunityLimit(env, context.community),
      "Too many link requests in this community",
    );
    if (here) return here;
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
  const theirs = refusedByLimit(
    await hitTargetLimit(env, target.platform, resolved.platformUserId),
    `${resolved.username} on ${label} has been sent too many link codes`,
  );
  if (theirs) return theirs;
  const code = generateCode();
  const targetRow = { platform: target.platform, platformUserId: resolved.platformUserId, username: resolved.username };
  const codeId = await insertCode(
    env.DB,
    {
      requesterUserId: requester.userId,
      channel,
      requesterPlatform: requester.identity?.platform ?? null,
      requesterPlatformUserId: requester.identity?.platformUserId ?? null,
      targetPlatform: target.platform,
      targetPlatformUserId: resolved.platformUserId,
      targetUsername: resolved.username,
    },
    code,
  );
  try {
    await deliverCode(env, targetRow, code, { channel, requester });
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
  const where = channel === "chat" ? "type !verify CODE here" : "enter it here";
  return {
    ok: true,
    target: targetRow,
    message: `I sent a code to ${resolved.username} on ${label} by private message: read it there, then ${where} within 10 minutes.`,
  };
}
