import type { LimitRule } from "../../../../durable-objects/rate-limiter.ts";
import type { Env } from "../env.ts";

/** Link requests per user: 3 codes per 10 minutes is plenty for a person, too few to spam. */
export const LINK_REQUEST_RULE: LimitRule = { bucket: "link-requests", limit: 3, windowMs: 10 * 60_000 };

/** Records a link request for a user; the decision says whether it may go ahead. */
export function hitLinkLimit(env: Env, userId: string) {
  return env.RATE_LIMITER.get(env.RATE_LIMITER.idFromName(`link:${userId}`)).hit([LINK_REQUEST_RULE]);
}
