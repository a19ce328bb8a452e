import { runDurableObjectAlarm } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";

const ns = () => env.SESSIONS;
const context = {
  communityId: "c1",
  platform: "twitch",
  userId: "u1",
  username: "pingu",
  channelId: "ch",
  eventId: "e1",
};

describe("RouterSession (one object per session id)", () => {
  it("stores a session's context and answers it until it expires", async () => {
    const id = `sess_${crypto.randomUUID().replaceAll("-", "")}`;
    const stub = ns().get(ns().idFromName(id));
    const now = Date.now();
    const created = await stub.create(id, context, 3_600_000, now);
    expect(created).toMatchObject({ id, expiresAt: now + 3_600_000 });
    expect((await stub.get(now + 1000))?.context).toEqual(context);
    expect(await stub.get(now + 3_600_000)).toBeNull();
  });

  it("deletes itself by alarm", async () => {
    const id = `sess_${crypto.randomUUID().replaceAll("-", "")}`;
    const stub = ns().get(ns().idFromName(id));
    await stub.create(id, context, 1);
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    expect(await stub.get(0)).toBeNull();
  });
});
