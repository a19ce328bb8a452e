import { evictDurableObject, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { Deduplicator } from "../deduplicator.ts";

const ns = () => env.DEDUPE as DurableObjectNamespace<Deduplicator>;
const fresh = () => ns().get(ns().idFromName(crypto.randomUUID()));

describe("Deduplicator", () => {
  it("says first-seen once, and repeat for every later delivery of the same id", async () => {
    const stub = fresh();
    const results = [];
    for (let i = 0; i < 3; i++) results.push(await stub.firstSeen("msg-1", 600_000));
    expect(results).toEqual([true, false, false]);
    expect(await stub.firstSeen("msg-2", 600_000)).toBe(true);
  });

  it("remembers across eviction", async () => {
    const stub = fresh();
    expect(await stub.firstSeen("a", 600_000)).toBe(true);
    await evictDurableObject(stub);
    expect(await stub.firstSeen("a", 600_000)).toBe(false);
  });

  it("accepts an id again once its time to live has passed", async () => {
    const stub = fresh();
    const t0 = Date.now();
    expect(await stub.firstSeen("b", 1_000, t0)).toBe(true);
    expect(await stub.firstSeen("b", 1_000, t0 + 999)).toBe(false);
    expect(await stub.firstSeen("b", 1_000, t0 + 1_001)).toBe(true);
  });

  it("forgets an id on request, so a failed delivery can be retried", async () => {
    const stub = fresh();
    await stub.firstSeen("c", 600_000);
    await stub.forget("c");
    expect(await stub.firstSeen("c", 600_000)).toBe(true);
  });

  it("keeps one cleanup alarm, and takes ids again after the alarm emptied it", async () => {
    const stub = fresh();
    const t0 = Date.now() - 10_000;
    expect(await stub.firstSeen("d", 1_000, t0)).toBe(true);
    expect(await stub.firstSeen("e", 1_000, t0)).toBe(true);
    expect(await runInDurableObject(stub, (_obj, state) => state.storage.getAlarm())).not.toBeNull();
    // Both expired: the alarm drops the storage, table and all.
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    // The same instance goes on: an id is new again, a repeat is still a repeat, and a new alarm is set.
    expect(await stub.firstSeen("d", 600_000)).toBe(true);
    expect(await stub.firstSeen("d", 600_000)).toBe(false);
    expect(await runInDurableObject(stub, (_obj, state) => state.storage.getAlarm())).not.toBeNull();
  });
});
