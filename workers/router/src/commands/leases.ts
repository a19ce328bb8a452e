import {
  LEASE_MAX_SLOTS,
  type LeaseAsk,
  type LimitDecision,
  type LimitRule,
  leaseCap,
} from "../../../../durable-objects/rate-limiter.ts";

/**
 * Leases of per-user rate windows, held in this isolate's memory, so a chatter's next commands
 * are decided here instead of by a round trip to their RateLimiter shard each (see LeaseAsk in
 * durable-objects/rate-limiter.ts: every leased slot is recorded by the limiter before it is
 * granted, so the window is never exceeded and survives eviction and deploys; slots an isolate
 * never spends stay counted until their window passes — the strict side).
 *
 * Only the user+command window is leased: one chatter's commands mostly reach one isolate, so
 * little is left unspent. Cooldowns (limit 1) and windows under LEASE_FRACTION slots get none
 * (leaseCap), nor do the per-command global cooldown and the community-wide limit, which every
 * isolate shares: slots parked in many isolates would starve the others.
 */

/**
 * How long a lease lasts. A changed limit or window never spends an older lease (leaseKey), so
 * this bounds only how long slots sit unspent in an isolate that stopped seeing the chatter.
 */
export const LEASE_MS = 10_000;
/**
 * A lease is asked for only when this isolate decided a hit for the same bucket this recently:
 * a chatter using commands now. A one-off command costs no slots beyond itself.
 */
export const RECENT_MS = 30_000;
/** Spent only this much before the limiter's end of the lease (an isolate's clock may run a little behind). */
const MARGIN_MS = 250;
/** The isolate keeps at most this many buckets (the oldest used goes first). */
const MAX_BUCKETS = 10_000;

interface Lease {
  lastHit: number;
  slots: number;
  /** This isolate's clock: slots are spent before it. */
  until: number;
}

const leases = new Map<string, Lease>();

/** One key per limiter object and rules: a changed limit or window never spends an older lease. */
export function leaseKey(objectKey: string, rules: LimitRule[]): string {
  return `${objectKey}|${rules.map((r) => `${r.bucket}:${r.limit}:${r.windowMs}`).join("|")}`;
}

/** Spends one slot of a live lease; false when there is none (ask the limiter). */
export function spendLeased(key: string, now: number): boolean {
  const lease = leases.get(key);
  if (!lease || lease.slots <= 0 || now >= lease.until) return false;
  lease.slots--;
  lease.lastHit = now;
  return true;
}

/** What to ask the limiter for with a hit: a lease when the rules take one and the bucket is busy here. */
export function leaseAsk(key: string, rules: LimitRule[], now: number): LeaseAsk | undefined {
  if (leaseCap(rules, LEASE_MAX_SLOTS) === 0) return undefined;
  const lease = leases.get(key);
  return lease && now - lease.lastHit < RECENT_MS ? { slots: LEASE_MAX_SLOTS, ms: LEASE_MS } : undefined;
}

/** Notes the limiter's decision on a hit made at `now`, with the slots it leased. */
export function noteDecision(key: string, decision: LimitDecision, now: number): void {
  if (!decision.allowed) return;
  const prior = leases.get(key);
  const live = prior && prior.slots > 0 && now < prior.until ? prior : undefined;
  const granted = decision.leased ?? 0;
  const until = granted > 0 ? (decision.leaseUntil ?? now) - MARGIN_MS : 0;
  leases.delete(key); // re-inserted last: the map's order is the order of use
  leases.set(key, {
    lastHit: now,
    // Two hits in flight at once may both come back with a lease: keep both, to the sooner end.
    slots: (live?.slots ?? 0) + granted,
    until: live && granted > 0 ? Math.min(live.until, until) : (live?.until ?? until),
  });
  if (leases.size > MAX_BUCKETS) leases.delete(leases.keys().next().value as string);
}

/** Drops every lease, as an isolate that is gone would (tests). */
export function forgetLeases(): void {
  leases.clear();
}
