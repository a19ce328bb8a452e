import type { LimitRule } from "../../../../durable-objects/rate-limiter.ts";
import type { Platform } from "../../../../lib/db/schema/index.ts";
import type { Env } from "../env.ts";

/**
 * Link requests are limited three ways, each in its own RateLimiter object (sharded by key):
 * - per requester: 3 codes per 10 minutes is plenty for a person, too few to spam;
 * - per target: a victim gets at most 3 link DMs an hour, however many accounts ask;
 * - per community: one community's chat cannot drive a DM flood (20 per 10 minutes).
 */
const LINK_REQUEST_RULE: LimitRule = { bucket: "link-requests", limit: 3, windowMs: 10 * 60_000 };
const LINK_TARGET_RULE: LimitRule = { bucket: "link-target", limit: 3, windowMs: 60 * 60_000 };
const LINK_COMMUNITY_RULE: LimitRule = { bucket: "link-community", limit: 20, windowMs: 10 * 60_000 };

const hit = (env: Env, key: string, rule: LimitRule) =>
  env.RATE_LIMITER.get(env.RATE_LIMITER.idFromName(key)).hit([rule]);

/** Records a link request by a user; the decision says whether it may go ahead. */
export function hitLinkLimit(env: Env, userId: string) {
  return hit(env, `link:${userId}`, LINK_REQUEST_RULE);
}

/** Records a code DM'd to a platform account. */
export function hitTargetLimit(env: Env, platform: Platform, platformUserId: string) {
  return hit(env, `link-target:${platform}:${platformUserId}`, LINK_TARGET_RULE);
}

/** Records a link request made in a community's chat (keyed "<platform>:<guild/channel/team id>"). */
export function hitCommunityLimit(env: Env, community: string) {
  return hit(env, `link-community:${community}`, LINK_COMMUNITY_RULE);
}
