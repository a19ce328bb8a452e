import type { LimitRule } from "../../../../durable-objects/rate-limiter.ts";
import { TooManyRequests } from "../../../../lib/http/errors.ts";
import type { Env } from "../env.ts";

/**
 * Login attempts are counted per account and per IP in the RateLimiter Durable Object (a
 * sliding window that survives deploys), one object per key.
 *
 * A slot is reserved BEFORE the password is hashed: the object is single-threaded, so of 30
 * parallel wrong attempts only 5 get a slot and reach PBKDF2; the rest answer 429 at once.
 * (Checking first and counting after the hash let every parallel attempt through.) A success
 * gives its slots back and clears the account's window, so only failures end up counting and
 * a person who signs in often is never locked out. A stranger can fill an account's window,
 * but not keep the owner out: a password reset clears it, and platform login never uses it.
 */
const WINDOW_MS = 15 * 60_000;
const ACCOUNT_RULE: LimitRule = { bucket: "login-failures", limit: 5, windowMs: WINDOW_MS };
const IP_RULE: LimitRule = { bucket: "login-failures", limit: 20, windowMs: WINDOW_MS };

const limiter = (env: Env, key: string) => env.RATE_LIMITER.get(env.RATE_LIMITER.idFromName(key));
const accountKey = (email: string) => `login:account:${email}`;
const ipKey = (ip: string | null) => `login:ip:${ip ?? "unknown"}`;

interface LoginReservation {
  /** When the slots were taken (the hit time to give back). */
  at: number;
  /** True when this attempt took the account's last slot: failing it locks the account. */
  locksAccount: boolean;
  /** True when this attempt took the IP's last slot. */
  locksIp: boolean;
}

/** Reserves an attempt for the account and the IP, or throws 429 (with Retry-After). */
export async function reserveLoginAttempt(
  env: Env,
  email: string,
  ip: string | null,
  at = Date.now(),
): Promise<LoginReservation> {
  const ipStub = limiter(env, ipKey(ip));
  const ipDecision = await ipStub.hit([IP_RULE], at);
  if (!ipDecision.allowed) throw tooMany(ipDecision.retryAfterMs);
  const account = await limiter(env, accountKey(email)).hit([ACCOUNT_RULE], at);
  if (!account.allowed) {
    // The IP did not make an attempt after all: give its slot back.
    await ipStub.release(IP_RULE.bucket, at);
    throw tooMany(account.retryAfterMs);
  }
  return { at, locksAccount: account.remaining === 0, locksIp: ipDecision.remaining === 0 };
}

/** A successful login: the reservation did not count, and the account's failures are forgiven. */
export async function releaseAfterSuccess(
  env: Env,
  email: string,
  ip: string | null,
  reservation: LoginReservation,
): Promise<void> {
  await Promise.all([
    limiter(env, ipKey(ip)).release(IP_RULE.bucket, reservation.at),
    clearAccountFailures(env, email),
  ]);
}

export async function clearAccountFailures(env: Env, email: string): Promise<void> {
  await limiter(env, accountKey(email)).reset(ACCOUNT_RULE.bucket);
}

function tooMany(retryAfterMs: number): TooManyRequests {
  return new TooManyRequests(Math.max(1, retryAfterMs / 1000), "Too many failed logins; try again later");
}
