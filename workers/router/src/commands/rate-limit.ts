import type { LimitDecision, LimitRule } from "../../../../durable-objects/rate-limiter.ts";
import { released } from "../../../../lib/rpc.ts";
import type { Env } from "../env.ts";
import type { RoutedEvent } from "../events/routed-event.ts";
import type { RouterSettings } from "../router-config.ts";
import { leaseAsk, noteDecision, spendLeased } from "./leases.ts";
import type { CommandEntry } from "./registry.ts";

/**
 * Per-user windows live in one of USER_SHARDS objects per community, picked by a hash of the
 * user: enough objects that none is hot (a busy community's commands spread over 32 writers,
 * each far under a Durable Object's ~1,000 requests/s), few enough that they stay warm — one
 * object per user and command meant a cold object (a fresh SQLite database) for nearly every
 * chatter's first command, which the benchmark showed costing ~20 ms each.
 */
const USER_SHARDS = 32;

export function userShardKey(communityId: string, platform: string, userId: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < userId.length; i++) h = Math.imul(h ^ userId.charCodeAt(i), 0x01000193);
  return `${communityId}:users:${((h >>> 0) % USER_SHARDS).toString()}:${platform === "discord" ? "d" : platform[0]}`;
}

/** A hit decided from a lease this isolate holds. */
const LEASED: LimitDecision = { allowed: true, remaining: 0, retryAfterMs: 0 };

interface RateDecision {
  allowed: boolean;
  retryAfterMs: number;
}

/**
 * Rate limits and cooldowns, all in RateLimiter Durable Objects (SQLite storage: they survive
 * eviction and deploys), sharded by key so no object is hot:
 *  - `<community>:users:<shard>:<platform>` (shard = hash of the user, see userShardKey): the
 *    user+command sliding window (default 60 per 60 s) and the per-user cooldown, as two
 *    buckets named `<platform>:<user>:<command>` in one hit — the one call every command makes;
 *  - `<community>:<command>`: the per-command global cooldown, only if the command has one;
 *  - `<community>`: the community-wide limit, only if the community set one.
 * Simulated events use the same keys prefixed with `sim:`, so the two never share a bucket.
 * The calls run in parallel; when one refuses after another allowed, the allowed slot stays
 * spent (a limit errs on the strict side). The user's window without a cooldown may be decided
 * from a lease this isolate holds (leases.ts), recorded by the limiter before it was granted.
 */
export async function checkRateLimits(
  env: Env,
  settings: RouterSettings,
  communityId: string,
  event: Pick<RoutedEvent, "platform" | "user" | "simulated">,
  cmd: CommandEntry,
): Promise<RateDecision> {
  const label = cmd.prefix + cmd.name;
  const { platform } = event;
  const userId = event.user.id;
  // Simulated tries get objects of their own (`sim:` + the key): a try never spends or waits
  // on a real chatter's cooldown, the command's global cooldown or the community limit.
  const space = event.simulated ? "sim:" : "";
  const stub = (key: string) => env.RATE_LIMITER.get(env.RATE_LIMITER.idFromName(space + key));
  const hit = (key: string, rules: LimitRule[]) => stub(key).hit(rules).then(released);
  // The user's window may be leased to this isolate (leases.ts): its next hits need no round trip.
  const leasedHit = (key: string, rules: LimitRule[]) => {
    const leases = space + communityId;
    const now = Date.now();
    if (spendLeased(leases, rules, now)) return Promise.resolve(LEASED);
    return stub(key)
      .hit(rules, undefined, leaseAsk(leases, rules, now))
      .then(released)
      .then((decision) => {
        noteDecision(leases, rules, decision, now);
        return decision;
      });
  };
  const bucket = `${platform}:${userId}:${label}`;
  const userRules: LimitRule[] = [
    { bucket: `${bucket}:rate`, limit: settings.userCommandLimit, windowMs: settings.userCommandWindowSec * 1000 },
  ];
  if (cmd.userCooldownSec > 0) {
    userRules.push({ bucket: `${bucket}:cooldown`, limit: 1, windowMs: cmd.userCooldownSec * 1000 });
  }
  const calls = [leasedHit(userShardKey(communityId, platform, userId), userRules)];
  if (cmd.globalCooldownSec > 0) {
    calls.push(
      hit(`${communityId}:${label}`, [{ bucket: "cooldown", limit: 1, windowMs: cmd.globalCooldownSec * 1000 }]),
    );
  }
  if (settings.communityLimit > 0) {
    calls.push(
      hit(communityId, [
        { bucket: "community", limit: settings.communityLimit, windowMs: settings.communityWindowSec * 1000 },
      ]),
    );
  }
  const decisions = await Promise.all(calls);
  const refused = decisions.filter((d) => !d.allowed);
  return { allowed: refused.length === 0, retryAfterMs: Math.max(0, ...refused.map((d) => d.retryAfterMs)) };
}
