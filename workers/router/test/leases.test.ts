import { beforeEach, describe, expect, it } from "vitest";
import type { LimitRule } from "../../../durable-objects/rate-limiter.ts";
import { forgetLeases, LEASE_MS, leaseAsk, noteDecision, RECENT_MS, spendLeased } from "../src/commands/leases.ts";

const rate: LimitRule[] = [{ bucket: "discord:u:!ping:rate", limit: 60, windowMs: 60_000 }];
const space = "community-1";
const t0 = 1_000_000;
const granted = (leased: number, leaseUntil = t0 + LEASE_MS) => ({
  allowed: true,
  remaining: 40,
  retryAfterMs: 0,
  leased,
  leaseUntil,
});

describe("rate window leases held by the isolate", () => {
  beforeEach(forgetLeases);

  it("asks for a lease only for a bucket hit here recently, and never for a cooldown", () => {
    expect(leaseAsk(space, rate, t0)).toBeUndefined();
    noteDecision(space, rate, { allowed: true, remaining: 59, retryAfterMs: 0 }, t0);
    expect(leaseAsk(space, rate, t0 + 1)).toEqual({ slots: 32, ms: LEASE_MS });
    expect(leaseAsk(space, rate, t0 + RECENT_MS - 1)).toEqual({ slots: 32, ms: LEASE_MS });
    expect(leaseAsk(space, rate, t0 + RECENT_MS)).toBeUndefined();
    const cooldown = [...rate, { bucket: "discord:u:!ping:cooldown", limit: 1, windowMs: 30_000 }];
    noteDecision(space, cooldown, granted(3), t0);
    expect(leaseAsk(space, cooldown, t0 + 1)).toBeUndefined();
    expect(spendLeased(space, cooldown, t0 + 1)).toBe(false);
    // A window too small to lease (8 slots give 1): none is asked for.
    const small = [{ bucket: "discord:u:!x:rate", limit: 7, windowMs: 60_000 }];
    noteDecision(space, small, { allowed: true, remaining: 6, retryAfterMs: 0 }, t0);
    expect(leaseAsk(space, small, t0 + 1)).toBeUndefined();
  });

  it("spends the granted slots, then none; none after the lease's end", () => {
    noteDecision(space, rate, granted(2), t0);
    expect(spendLeased(space, rate, t0 + 1)).toBe(true);
    expect(spendLeased(space, rate, t0 + 2)).toBe(true);
    expect(spendLeased(space, rate, t0 + 3)).toBe(false);
    noteDecision(space, rate, granted(5), t0);
    // A margin before the limiter's end: this isolate's clock may run behind the object's.
    expect(spendLeased(space, rate, t0 + LEASE_MS - 1)).toBe(false);
    expect(spendLeased(space, rate, t0 + LEASE_MS - 300)).toBe(true);
  });

  it("never spends a lease under other rules, in another space or after a refusal", () => {
    noteDecision(space, rate, granted(3), t0);
    expect(spendLeased(space, [{ ...rate[0]!, limit: 10 }], t0 + 1)).toBe(false);
    expect(spendLeased(space, [{ ...rate[0]!, windowMs: 30_000 }], t0 + 1)).toBe(false);
    expect(spendLeased("community-2", rate, t0 + 1)).toBe(false);
    expect(spendLeased(`sim:${space}`, rate, t0 + 1)).toBe(false);
    const other = [{ ...rate[0]!, bucket: "discord:v:!ping:rate" }];
    noteDecision(space, other, { allowed: false, remaining: 0, retryAfterMs: 1_000 }, t0);
    expect(spendLeased(space, other, t0 + 1)).toBe(false);
    expect(leaseAsk(space, other, t0 + 1)).toBeUndefined();
  });

  it("keeps both leases of two hits in flight at once, to the sooner end", () => {
    noteDecision(space, rate, granted(2, t0 + 4_000), t0);
    noteDecision(space, rate, granted(2, t0 + 5_000), t0 + 1);
    let spent = 0;
    while (spendLeased(space, rate, t0 + 10)) spent++;
    expect(spent).toBe(4);
    noteDecision(space, rate, granted(1, t0 + 4_000), t0);
    expect(spendLeased(space, rate, t0 + 4_000)).toBe(false);
  });

  it("holds at most 10,000 buckets: idle ones go first, all when too few are idle", () => {
    const bucket = (i: number) => [{ ...rate[0]!, bucket: `discord:u${i}:!ping:rate` }];
    for (let i = 0; i < 5_000; i++) noteDecision(space, bucket(i), granted(1, t0 + LEASE_MS), t0);
    const later = t0 + RECENT_MS;
    for (let i = 5_000; i < 10_001; i++) noteDecision(space, bucket(i), granted(1, later + LEASE_MS), later);
    // The first 5,000 were idle for RECENT_MS when the bound was passed: they went, the recent ones stay.
    expect(spendLeased(space, bucket(0), later)).toBe(false);
    expect(spendLeased(space, bucket(5_000), later + 1)).toBe(true);
    expect(spendLeased(space, bucket(10_000), later + 1)).toBe(true);
    // Now every one is recent: passing the bound again forgets them all (their slots stay counted).
    for (let i = 10_001; i < 15_001; i++) noteDecision(space, bucket(i), granted(1, later + LEASE_MS), later);
    expect(spendLeased(space, bucket(10_000), later + 2)).toBe(false);
  });
});
