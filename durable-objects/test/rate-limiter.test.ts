import { evictDurableObject, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { CLEANUP_EVERY_MS, LEASE_MAX_MS, type RateLimiter } from "../rate-limiter.ts";

const ns = () => env.RATE_LIMITER as DurableObjectNamespace<RateLimiter>;
const fresh = () => ns().get(ns().idFromName(crypto.randomUUID()));
const rule = { bucket: "cmd", limit: 3, windowMs: 60_000 };

describe("RateLimiter (sliding window)", () => {
  it("allows up to the limit and then refuses with a retry time", async () => {
    const stub = fresh();
    const t0 = 1_000_000;
    for (let i = 0; i < 3; i++) expect((await stub.hit([rule], t0 + i)).allowed).toBe(true);
    const refused = await stub.hit([rule], t0 + 10);
    expect(refused.allowed).toBe(false);
    // The oldest hit (t0) leaves the window at t0 + 60 s.
    expect(refused.retryAfterMs).toBe(60_000 - 10);
  });

  it("slides: a slot frees when the oldest hit leaves the window", async () => {
    const stub = fresh();
    const t0 = 2_000_000;
    for (let i = 0; i < 3; i++) await stub.hit([rule], t0 + i * 1000);
    expect((await stub.hit([rule], t0 + 59_999)).allowed).toBe(false);
    expect((await stub.hit([rule], t0 + 60_000)).allowed).toBe(true);
  });

  it("checks every rule and records nothing when one refuses", async () => {
    const stub = fresh();
    const tight = { bucket: "cooldown", limit: 1, windowMs: 10_000 };
    const t0 = 3_000_000;
    expect((await stub.hit([rule, tight], t0)).allowed).toBe(true);
    expect((await stub.hit([rule, tight], t0 + 1)).allowed).toBe(false);
    // The refused call did not spend a slot of the wider rule.
    expect((await stub.peek(rule, t0 + 2)).remaining).toBe(2);
  });

  it("keeps its window when the object is evicted (state is in SQLite storage)", async () => {
    const stub = fresh();
    const now = Date.now();
    for (let i = 0; i < 3; i++) await stub.hit([rule], now);
    await evictDurableObject(stub);
    expect((await stub.hit([rule], now + 1)).allowed).toBe(false);
  });

  it("drops its storage by alarm once every window has passed", async () => {
    const stub = fresh();
    await stub.hit([{ bucket: "b", limit: 5, windowMs: 1 }], Date.now() - 10);
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    const left = await runInDurableObject(stub, (_obj, state) =>
      state.storage.sql.exec("SELECT name FROM sqlite_master WHERE name = 'hits'").toArray(),
    );
    expect(left).toEqual([]);
  });

  it("decides exactly the same when evicted between hits (memory is rebuilt from storage)", async () => {
    const cooldown = { bucket: "cooldown", limit: 1, windowMs: 5_000 };
    const t0 = 4_000_000;
    const times = [0, 1, 2, 3, 4_000, 5_001, 30_000, 59_999, 60_000, 60_001, 61_000, 62_000];
    const run = async (evictEvery: number) => {
      const stub = fresh();
      const out: { allowed: boolean; retryAfterMs: number }[] = [];
      for (const [i, dt] of times.entries()) {
        if (evictEvery && i > 0 && i % evictEvery === 0) await evictDurableObject(stub);
        const { allowed, retryAfterMs } = await stub.hit([rule, cooldown], t0 + dt);
        out.push({ allowed, retryAfterMs });
      }
      return out;
    };
    const kept = await run(0);
    expect(kept.filter((d) => d.allowed).length).toBeGreaterThan(2);
    expect(await run(1)).toEqual(kept);
    expect(await run(3)).toEqual(kept);
  });

  it("stores one row per rule for an allowed hit and none for a refused one", async () => {
    const stub = fresh();
    const tight = { bucket: "cooldown", limit: 1, windowMs: 10_000 };
    const t0 = 5_000_000;
    await stub.hit([rule, tight], t0);
    await stub.hit([rule, tight], t0 + 1);
    const rows = await runInDurableObject(stub, (_obj, state) =>
      state.storage.sql.exec<{ bucket: string; at: number }>("SELECT bucket, at FROM hits ORDER BY bucket").toArray(),
    );
    expect(rows).toEqual([
      { bucket: "cmd", at: t0 },
      { bucket: "cooldown", at: t0 },
    ]);
  });

  it("takes hits again after the alarm has dropped its storage", async () => {
    const stub = fresh();
    await stub.hit([{ bucket: "b", limit: 5, windowMs: 1 }], Date.now() - 10);
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    const now = Date.now();
    for (let i = 0; i < 3; i++) expect((await stub.hit([rule], now)).allowed).toBe(true);
    expect((await stub.hit([rule], now)).allowed).toBe(false);
  });

  it("forgets a bucket on reset, in memory and in storage", async () => {
    const stub = fresh();
    const now = Date.now();
    for (let i = 0; i < 3; i++) await stub.hit([rule], now);
    await stub.reset(rule.bucket);
    expect((await stub.peek(rule, now)).remaining).toBe(3);
    await evictDurableObject(stub);
    expect((await stub.hit([rule], now)).allowed).toBe(true);
  });
});

describe("RateLimiter cleanup alarm under steady traffic", () => {
  it("runs at most every CLEANUP_EVERY_MS, not again at each next expiry", async () => {
    const stub = fresh();
    const now = Date.now();
    // One row already expired, one that expires in a second: the next expiry is far sooner than the interval.
    await stub.hit([{ bucket: "old", limit: 5, windowMs: 1 }], now - 10);
    await stub.hit([{ bucket: "soon", limit: 5, windowMs: 1_000 }], now);
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    const next = await runInDurableObject(stub, (_obj, state) => state.storage.getAlarm());
    expect(next).toBeGreaterThanOrEqual(now + CLEANUP_EVERY_MS);
    // The row the alarm left is still refused by time, not by storage: its window has passed.
    expect((await stub.hit([{ bucket: "soon", limit: 1, windowMs: 1_000 }], now + 1_000)).allowed).toBe(true);
  });

  it("keeps a window in use in memory (no read back from storage) and still decides by it", async () => {
    const stub = fresh();
    const now = Date.now();
    for (let i = 0; i < 3; i++) await stub.hit([rule], now);
    await stub.hit([{ bucket: "gone", limit: 5, windowMs: 1 }], now - 10);
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    const kept = await runInDurableObject(stub, (obj) => {
      const windows = (obj as unknown as { windows: Map<string, number[]> }).windows;
      return { cmd: windows.get("cmd")?.length, gone: windows.has("gone") };
    });
    expect(kept).toEqual({ cmd: 3, gone: false });
    expect((await stub.hit([rule], now + 1)).allowed).toBe(false);
    await evictDurableObject(stub);
    expect((await stub.hit([rule], now + 2)).allowed).toBe(false);
  });

  it("gives back a released hit, in memory and in storage", async () => {
    const stub = fresh();
    const t0 = 5_000_000;
    for (let i = 0; i < 3; i++) await stub.hit([rule], t0 + i);
    await stub.release(rule.bucket, t0 + 1);
    expect((await stub.peek(rule, t0 + 3)).remaining).toBe(1);
    await evictDurableObject(stub);
    expect((await stub.peek(rule, t0 + 3)).remaining).toBe(1);
    // Releasing a hit that is not there changes nothing.
    await stub.release(rule.bucket, t0 + 99);
    expect((await stub.peek(rule, t0 + 3)).remaining).toBe(1);
  });
});

describe("RateLimiter leases (slots recorded before they are granted)", () => {
  const wide = { bucket: "cmd", limit: 16, windowMs: 60_000 };
  const rows = (stub: DurableObjectStub<RateLimiter>) =>
    runInDurableObject(stub, (_obj, state) =>
      state.storage.sql
        .exec<{ e: number }>("SELECT expires_at AS e FROM hits ORDER BY e")
        .toArray()
        .map((r) => r.e),
    );

  it("leases at most an eighth of the window, counted for the window plus the lease, through eviction", async () => {
    const stub = fresh();
    const t0 = 6_000_000;
    const got = await stub.hit([wide], t0, { slots: 32, ms: 5_000 });
    // 16 / 8 = 2 slots beyond this hit, until t0 + 5 s.
    expect(got).toMatchObject({ allowed: true, leased: 2, leaseUntil: t0 + 5_000, remaining: 13 });
    expect(await rows(stub)).toEqual([t0 + 60_000, t0 + 65_000, t0 + 65_000]);
    await evictDurableObject(stub);
    expect((await stub.peek(wide, t0 + 1)).remaining).toBe(13);
    // The hit leaves at t0 + 60 s; the leased slots only when a slot spent at the lease's end would.
    expect((await stub.peek(wide, t0 + 60_000)).remaining).toBe(14);
    expect((await stub.peek(wide, t0 + 65_000)).remaining).toBe(16);
  });

  it("never leases a cooldown, nor beyond what the window has room for", async () => {
    const stub = fresh();
    const t0 = 7_000_000;
    const cooldown = { bucket: "cool", limit: 1, windowMs: 30_000 };
    const withCooldown = await stub.hit([wide, cooldown], t0, { slots: 32, ms: 5_000 });
    expect(withCooldown.allowed).toBe(true);
    expect(withCooldown.leased).toBeUndefined();
    for (let i = 0; i < 14; i++) await stub.hit([wide], t0 + 1);
    // One slot left: this hit takes it and nothing is leased.
    const last = await stub.hit([wide], t0 + 2, { slots: 32, ms: 5_000 });
    expect(last).toMatchObject({ allowed: true, remaining: 0 });
    expect(last.leased).toBeUndefined();
    expect((await stub.hit([wide], t0 + 3, { slots: 32, ms: 5_000 })).allowed).toBe(false);
    expect((await rows(stub)).length).toBe(17);
  });

  it("leases for at most LEASE_MAX_MS, however long is asked", async () => {
    const stub = fresh();
    const t0 = 8_000_000;
    const got = await stub.hit([wide], t0, { slots: 1, ms: 1e12 });
    expect(got).toMatchObject({ leased: 1, leaseUntil: t0 + LEASE_MAX_MS });
    expect(await rows(stub)).toEqual([t0 + 60_000, t0 + LEASE_MAX_MS + 60_000]);
  });

  it("says when to retry by the soonest slot to leave a full window", async () => {
    const stub = fresh();
    const t0 = 9_000_000;
    await stub.hit([wide], t0, { slots: 32, ms: 5_000 });
    for (let i = 0; i < 13; i++) await stub.hit([wide], t0 + 10_000);
    const refused = await stub.hit([wide], t0 + 20_000);
    // Full: the plain hit at t0 leaves first, at t0 + 60 s.
    expect(refused).toMatchObject({ allowed: false, retryAfterMs: 40_000 });
  });
});
