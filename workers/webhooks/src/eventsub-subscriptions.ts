import { sql } from "drizzle-orm";
import * as z from "zod";
import { createDb } from "../../../lib/db/client.ts";
import { twitchEventSubSubscriptions } from "../../../lib/db/schema/index.ts";

export const SubscriptionSchema = z.object({
  id: z.string().min(1).max(100),
  status: z.string().max(100),
  type: z.string().min(1).max(100),
  version: z.string().max(10),
  condition: z.record(z.string(), z.string().max(100)),
});
type Subscription = z.infer<typeof SubscriptionSchema>;

const broadcasterOf = (s: Subscription) =>
  s.condition.broadcaster_user_id ?? s.condition.to_broadcaster_user_id ?? s.condition.from_broadcaster_user_id ?? "";

/**
 * Records a subscription's state: `enabled` when Twitch verifies the callback, `revoked`
 * (with Twitch's reason) on revocation. An upsert, so a subscription created elsewhere
 * (the Twitch CLI, another tool) is recorded too.
 */
export async function recordSubscription(d1: D1Database, s: Subscription, status: "enabled" | "revoked") {
  const now = new Date();
  const revoked = status === "revoked";
  await createDb(d1)
    .insert(twitchEventSubSubscriptions)
    .values({
      id: s.id,
      type: s.type,
      version: s.version,
      broadcasterId: broadcasterOf(s),
      condition: s.condition,
      status,
      revokedReason: revoked ? s.status : null,
      revokedAt: revoked ? now : null,
    })
    .onConflictDoUpdate({
      target: twitchEventSubSubscriptions.id,
      set: {
        status,
        revokedReason: revoked ? s.status : null,
        revokedAt: revoked ? now : null,
        updatedAt: sql`${now.getTime()}`,
      },
    });
}
