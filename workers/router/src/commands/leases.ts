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
 * How long a lease lasts. A changed limit or window never spends an older lease (a lease keeps its rule), so
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
/** The isolate keeps at most this many buckets (idle ones go first, see evictIdle). */
const MAX_BUCKETS = 10_000;

interface Lease {
  lastHit: number;
  slots: number;
  /** This isolate's clock: slots are spent before it. */
  until: number;
  /** The rule the slots were leased under: a changed limit or window never spends them. */
  limit: number;
  windowMs: number;
}

/**
 * Leases by limiter space (a community's live or simulated objects) and then by bucket, which
 * names the platform, user and command: keyed by strings the caller already holds, so deciding
 * from a lease builds none (a profile of the bench had a built key at ~5 % of the isolate's CPU).
 */
const spaces = new Map<string, Map<string, Lease>>();
let held = 0;

/** The lease for one window (a single rule) in a space; undefined for several rules (a cooldown too). */
function leaseOf(space: string, rules: LimitRule[]): Lease | undefined {
  if (rules.length !== 1) return undefined;
  const lease = spaces.get(space)?.get(rules[0]!.bucket);
  return lease && lease.limit === rules[0]!.limit && lease.windowMs === rules[0]!.windowMs ? lease : undefined;
}

/** Spends one slot of a live lease; false when there is none (ask the limiter). */
export function spendLeased(space: string, rules: LimitRule[], now: number): boolean {
  const lease = leaseOf(space, rules);
  if (!lease || lease.slots <= 0 || now >= lease.until) return false;
  lease.slots--;
  lease.lastHit = now;
  return true;
}

/** What to ask the limiter for with a hit: a lease when the rules take one and the bucket is busy here. */
export function leaseAsk(space: string, rules: LimitRule[], now: number): LeaseAsk | undefined {
  if (leaseCap(rules, LEASE_MAX_SLOTS) === 0) return undefined;
  const lease = leaseOf(space, rules);
  return lease && now - lease.lastHit < RECENT_MS ? { slots: LEASE_MAX_SLOTS, ms: LEASE_MS } : undefined;
}

/** Notes the limiter's decision on a hit made at `now`, with the slots it leased. */
export function noteDecision(space: string, rules: LimitRule[], decision: LimitDecision, now: number): void {
  if (!decision.allowed || rules.length !== 1) return;
  const rule = rules[0]!;
  const prior = leaseOf(space, rules);
  const live = prior && prior.slots > 0 && now < prior.until ? prior : undefined;
  const granted = decision.leased ?? 0;
  const until = granted > 0 ? (decision.leaseUntil ?? now) - MARGIN_MS : 0;
  let buckets = spaces.get(space);
  if (!buckets) {
    buckets = new Map();
    spaces.set(space, buckets);
  }
  if (!buckets.has(rule.bucket)) held++;
  buckets.set(rule.bucket, {
    lastHit: now,
    // Two hits in flight at once may both come back with a lease: keep both, to the sooner end.
    slots: (live?.slots ?? 0) + granted,
    until: live && granted > 0 ? Math.min(live.until, until) : (live?.until ?? until),
    limit: rule.limit,
    windowMs: rule.windowMs,
  });
  if (held > MAX_BUCKETS) evictIdle(now);
}

/**
 * Over the bound: drops the leases not used for RECENT_MS, and all of them if that frees less than
 * a tenth (so the scan runs at most once per ~1,000 new buckets). Forgetting a lease only loses its
 * unspent slots: the strict side.
 */
function evictIdle(now: number): void {
  for (const [space, buckets] of spaces) {
    for (const [bucket, lease] of buckets) {
      if (now - lease.lastHit >= RECENT_MS) {
        buckets.delete(bucket);
        held--;
      }
    }
    if (buckets.size === 0) spaces.delete(space);
  }
  if (held > MAX_BUCKETS * 0.9) forgetLeases();
}

/** Drops every lease, as an isolate that is gone would (tests). */
export function forgetLeases(): void {
  spaces.clear();
  held = 0;
}
