import { beforeEach, describe, expect, it } from "vitest";
import {
  forgetLeases,
  LEASE_MS,
  leaseAsk,
  leaseKey,
  noteDecision,
  RECENT_MS,
  spendLeased,
} from "../src/commands/leases.ts";

const rate = [{ bucket: "discord:u:!ping:rate", limit: 60, windowMs: 60_000 }];
const key = leaseKey("c:users:1:d", rate);
const t0 = 1_000_000;

describe("rate window leases held by the isolate", () => {
  beforeEach(forgetLeases);

  it("asks for a lease only for a bucket hit here recently, and never for a cooldown", () => {
    expect(leaseAsk(key, rate, t0)).toBeUndefined();
    noteDecision(key, { allowed: true, remaining: 59, retryAfterMs: 0 }, t0);
    expect(leaseAsk(key, rate, t0 + 1)).toEqual({ slots: 32, ms: LEASE_MS });
    expect(leaseAsk(key, rate, t0 + RECENT_MS - 1)).toEqual({ slots: 32, ms: LEASE_MS });
    expect(leaseAsk(key, rate, t0 + RECENT_MS)).toBeUndefined();
    const cooldown = [...rate, { bucket: "discord:u:!ping:cooldown", limit: 1, windowMs: 30_000 }];
    const coolKey = leaseKey("c:users:1:d", cooldown);
    noteDecision(coolKey, { allowed: true, remaining: 0, retryAfterMs: 0 }, t0);
    expect(leaseAsk(coolKey, cooldown, t0 + 1)).toBeUndefined();
  });

  it("spends the granted slots, then none; none after the lease's end", () => {
    noteDecision(key, { allowed: true, remaining: 50, retryAfterMs: 0, leased: 2, leaseUntil: t0 + LEASE_MS }, t0);
    expect(spendLeased(key, t0 + 1)).toBe(true);
    expect(spendLeased(key, t0 + 2)).toBe(true);
    expect(spendLeased(key, t0 + 3)).toBe(false);
    noteDecision(key, { allowed: true, remaining: 40, retryAfterMs: 0, leased: 5, leaseUntil: t0 + LEASE_MS }, t0);
    // A margin before the limiter's end: this isolate's clock may run behind the object's.
    expect(spendLeased(key, t0 + LEASE_MS - 1)).toBe(false);
    expect(spendLeased(key, t0 + LEASE_MS - 300)).toBe(true);
  });

  it("never spends a lease under other rules (a changed limit or window) or after a refusal", () => {
    noteDecision(key, { allowed: true, remaining: 50, retryAfterMs: 0, leased: 3, leaseUntil: t0 + LEASE_MS }, t0);
    const lowered = [{ ...rate[0]!, limit: 10 }];
    expect(spendLeased(leaseKey("c:users:1:d", lowered), t0 + 1)).toBe(false);
    expect(spendLeased(leaseKey("c:users:2:d", rate), t0 + 1)).toBe(false);
    const other = leaseKey("c:users:3:d", rate);
    noteDecision(other, { allowed: false, remaining: 0, retryAfterMs: 1_000 }, t0);
    expect(spendLeased(other, t0 + 1)).toBe(false);
    expect(leaseAsk(other, rate, t0 + 1)).toBeUndefined();
  });

  it("keeps both leases of two hits in flight at once, to the sooner end", () => {
    noteDecision(key, { allowed: true, remaining: 50, retryAfterMs: 0, leased: 2, leaseUntil: t0 + 4_000 }, t0);
    noteDecision(key, { allowed: true, remaining: 48, retryAfterMs: 0, leased: 2, leaseUntil: t0 + 5_000 }, t0 + 1);
    let spent = 0;
    while (spendLeased(key, t0 + 10)) spent++;
    expect(spent).toBe(4);
    noteDecision(key, { allowed: true, remaining: 40, retryAfterMs: 0, leased: 1, leaseUntil: t0 + 4_000 }, t0);
    expect(spendLeased(key, t0 + 4_000)).toBe(false);
  });

  it("holds at most 10,000 buckets, dropping the least recently used", () => {
    const first = leaseKey("first", rate);
    noteDecision(first, { allowed: true, remaining: 9, retryAfterMs: 0, leased: 1, leaseUntil: t0 + LEASE_MS }, t0);
    for (let i = 0; i < 10_000; i++)
      noteDecision(leaseKey(`k${i}`, rate), { allowed: true, remaining: 9, retryAfterMs: 0 }, t0);
    expect(spendLeased(first, t0 + 1)).toBe(false);
    expect(leaseAsk(leaseKey("k9999", rate), rate, t0 + 1)).toBeDefined();
  });
});
