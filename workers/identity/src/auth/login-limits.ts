import type { LimitRule } from "../../../../durable-objects/rate-limiter.ts";
import { TooManyRequests } from "../../../../lib/http/errors.ts";
import type { Env } from "../env.ts";

/**
 * Failed logins are counted per account and per IP in the RateLimiter Durable Object (a
 * sliding window that survives deploys), one object per key. Only failures count, so a
 * person who signs in often is never locked out; a success clears the account's window.
 */
const WINDOW_MS = 15 * 60_000;
export const ACCOUNT_RULE: LimitRule = { bucket: "login-failures", limit: 5, windowMs: WINDOW_MS };
export const IP_RULE: LimitRule = { bucket: "login-failures", limit: 20, windowMs: WINDOW_MS };

const limiter = (env: Env, key: string) => env.RATE_LIMITER.get(env.RATE_LIMITER.idFromName(key));
const accountKey = (email: string) => `login:account:${email}`;
const ipKey = (ip: string | null) => `login:ip:${ip ?? "unknown"}`;

/** Throws 429 (with Retry-After) when the account or the IP has used up its failures. */
export async function assertLoginAllowed(env: Env, email: string, ip: string | null): Promise<void> {
  const checks = [
    { stub: limiter(env, accountKey(email)), rule: ACCOUNT_RULE },
    { stub: limiter(env, ipKey(ip)), rule: IP_RULE },
  ];
  for (const { stub, rule } of checks) {
    if ((await stub.peek(rule)).allowed) continue;
    // A refused hit records nothing and says when the window frees a slot.
    const decision = await stub.hit([rule]);
    if (!decision.allowed) {
      throw new TooManyRequests(decision.retryAfterMs / 1000, "Too many failed logins; try again later");
    }
  }
}

export async function recordLoginFailure(env: Env, email: string, ip: string | null): Promise<void> {
  await Promise.all([limiter(env, accountKey(email)).hit([ACCOUNT_RULE]), limiter(env, ipKey(ip)).hit([IP_RULE])]);
}

export async function clearAccountFailures(env: Env, email: string): Promise<void> {
  await limiter(env, accountKey(email)).reset(ACCOUNT_RULE.bucket);
}
