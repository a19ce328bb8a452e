import { and, eq } from "drizzle-orm";
import { createDb } from "../../../../lib/db/client.ts";
import {
  communityMembers,
  communityPlatforms,
  type Platform,
  userIdentities,
} from "../../../../lib/db/schema/index.ts";
import { PlatformError } from "../../../../lib/platforms/http.ts";
import { released } from "../../../../lib/rpc.ts";
import type { Env } from "../env.ts";
import type { Requester } from "./link.service.ts";
import { PLATFORM_LABEL } from "./resolve.ts";

/**
 * Sends a link code privately on the target platform: Twitch whisper (Helix), Discord DM,
 * Slack DM. The code is in the message and nowhere else: never in a log line. The text says
 * who asked and from where, and that the code is to be typed by the asker, never shared:
 * someone who did not ask ignores it, and a code that leaks still cannot reach an account
 * with a login (link-policy.ts).
 *
 * It leaves through the delivery service (DELIVERY), so a DM or whisper gets the Outbox's send
 * limits and retries like any other message. It names the community the target is a member of
 * when there is one (its workspace's token, later); otherwise it is an instance message from
 * the bot, to an account that may be in no community yet.
 */
export async function deliverCode(
  env: Env,
  target: { platform: Platform; platformUserId: string },
  code: string,
  how: { channel: "chat" | "portal"; requester: Requester },
): Promise<void> {
  const where = PLATFORM_LABEL[target.platform];
  const who = `${how.requester.name} (${how.requester.via})`;
  const action =
    how.channel === "chat"
      ? `If that was you, type !verify ${code} as ${how.requester.name} on ${how.requester.via}`
      : "If that was you, enter it in the WaddleBot portal";
  const text =
    `${who} asked to link this ${where} account to their WaddleBot account. Your WaddleBot link code is ${code}. ` +
    `${action} within 10 minutes. Ignore this if it wasn't you; never share this code.`;
  const communityId = await communityOf(env.DB, target);
  const result = released(
    await env.DELIVERY.send({
      ...(communityId ? { communityId } : {}),
      platform: target.platform,
      user: target.platformUserId,
      message: { text },
    }),
  );
  // link.service.ts deletes the code and says "could not message" on a PlatformError.
  if (!result.ok) throw new PlatformError(target.platform, 400, result.message);
}

/** A community the target account is a member of, on that platform (one with an active link). */
async function communityOf(d1: D1Database, target: { platform: Platform; platformUserId: string }) {
  const row = await createDb(d1)
    .select({ communityId: communityMembers.communityId })
    .from(userIdentities)
    .innerJoin(communityMembers, eq(communityMembers.userId, userIdentities.userId))
    .innerJoin(
      communityPlatforms,
      and(
        eq(communityPlatforms.communityId, communityMembers.communityId),
        eq(communityPlatforms.platform, target.platform),
        eq(communityPlatforms.status, "active"),
      ),
    )
    .where(and(eq(userIdentities.platform, target.platform), eq(userIdentities.platformUserId, target.platformUserId)))
    .get();
  return row?.communityId ?? null;
}
