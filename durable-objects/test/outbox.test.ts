import { evictDurableObject, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { fakeControl } from "../../test/shared/fake-control.ts";
import { type OutboxMessage, outboxName } from "../outbox.ts";

/** Discord channel ids are snowflakes (the client refuses anything else in a path). */
const snowflake = () => `${Date.now()}${Math.floor(Math.random() * 1e6)}`;

const fake = fakeControl(env.FAKE_PLATFORM_URL);
const ns = () => env.OUTBOX;
const stubFor = (m: OutboxMessage) => ns().get(ns().idFromName(outboxName(m)));
const alarmOf = (stub: ReturnType<typeof stubFor>) =>
  runInDurableObject(stub, (_obj, state) => state.storage.getAlarm());

describe("Outbox", () => {
  it("sends a Discord channel message at once", async () => {
    const channelId = snowflake();
    const msg: OutboxMessage = { platform: "discord", channelId, text: "hello" };
    expect(await stubFor(msg).enqueue(msg)).toEqual({ queued: 0, status: "sent" });
    const sent = await fake.requests(`/channels/${channelId}/messages`);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.body).toMatchObject({ content: "hello" });
  });

  it("honours Discord's 429 retry_after: keeps the message, retries at the alarm, then sends", async () => {
    const channelId = snowflake();
    const path = `/channels/${channelId}/messages`;
    await fake.script({ method: "POST", path, status: 429, body: { retry_after: 2.5, global: false } });
    const msg: OutboxMessage = { platform: "discord", channelId, text: "after the wait" };
    const stub = stubFor(msg);
    const t0 = Date.now();
    expect(await stub.enqueue(msg, t0)).toEqual({ queued: 1, status: "queued" });
    expect(await alarmOf(stub)).toBe(t0 + 2_500);

    await stub.drain(t0 + 2_499);
    expect(await stub.pending()).toBe(1);
    await stub.drain(t0 + 2_500);
    expect(await stub.pending()).toBe(0);
    const sent = await fake.requests(path);
    expect(sent.map((r) => r.body)).toEqual([
      expect.objectContaining({ content: "after the wait" }),
      expect.objectContaining({ content: "after the wait" }),
    ]);
  });

  it("keeps a queued retry across eviction and sends it from the alarm", async () => {
    const channelId = snowflake();
    const path = `/channels/${channelId}/messages`;
    await fake.script({ method: "POST", path, status: 503, body: {} });
    const msg: OutboxMessage = { platform: "discord", channelId, text: "survives" };
    const stub = stubFor(msg);
    await stub.enqueue(msg);
    expect(await stub.pending()).toBe(1);
    await evictDurableObject(stub);
    // The backoff is 1 s; the alarm runs it now (or already ran it).
    await runDurableObjectAlarm(stub);
    if ((await stub.pending()) > 0) await stub.drain(Date.now() + 1_000);
    expect(await stub.pending()).toBe(0);
    expect(await fake.requests(path)).toHaveLength(2);
  });

  it("drops a message the platform refuses for good (403), without retrying", async () => {
    const channelId = snowflake();
    const path = `/channels/${channelId}/messages`;
    await fake.script({ method: "POST", path, status: 403, body: { message: "Missing Access" } });
    const msg: OutboxMessage = { platform: "discord", channelId, text: "nope" };
    const stub = stubFor(msg);
    expect(await stub.enqueue(msg)).toEqual({ queued: 0, status: "failed" });
    expect(await fake.requests(path)).toHaveLength(1);
  });

  it("sends at most 20 Twitch messages per 30 s per channel, the 21st when the window moves", async () => {
    const broadcasterId = String(Math.floor(Math.random() * 1e12));
    const stub = stubFor({ platform: "twitch", broadcasterId, text: "x" });
    const t0 = Date.now();
    for (let i = 1; i <= 21; i++) await stub.enqueue({ platform: "twitch", broadcasterId, text: `m${i}` }, t0);
    const mine = async () =>
      (await fake.requests("/helix/chat/messages")).filter(
        (r) => (r.body as { broadcaster_id?: string }).broadcaster_id === broadcasterId,
      );
    expect(await mine()).toHaveLength(20);
    expect(await stub.pending()).toBe(1);
    expect(await alarmOf(stub)).toBe(t0 + 30_000);

    await stub.drain(t0 + 30_000);
    const sent = await mine();
    expect(sent).toHaveLength(21);
    expect((sent[20]!.body as { message: string }).message).toBe("m21");
  });

  it("lets a moderator bot send more than 20 per 30 s", async () => {
    const broadcasterId = String(Math.floor(Math.random() * 1e12));
    const stub = stubFor({ platform: "twitch", broadcasterId, text: "x" });
    const t0 = Date.now();
    for (let i = 0; i < 25; i++)
      await stub.enqueue({ platform: "twitch", broadcasterId, text: `m${i}`, botIsModerator: true }, t0);
    expect(await stub.pending()).toBe(0);
  });

  it("posts to a Slack channel at most once per second, in order", async () => {
    const channelId = `C${crypto.randomUUID().slice(0, 8).toUpperCase()}`;
    const stub = stubFor({ platform: "slack", channelId, text: "x" });
    const t0 = Date.now();
    await stub.enqueue({ platform: "slack", channelId, text: "first" }, t0);
    await stub.enqueue({ platform: "slack", channelId, text: "second" }, t0 + 10);
    expect(await stub.pending()).toBe(1);
    await stub.drain(t0 + 1_000);
    const sent = (await fake.requests("/slack/chat.postMessage")).filter(
      (r) => (r.body as { channel?: string }).channel === channelId,
    );
    expect(sent.map((r) => (r.body as { text: string }).text)).toEqual(["first", "second"]);
    expect((sent[0]!.body as { blocks: unknown[] }).blocks).toHaveLength(1);
  });

  it("sends Twitch whispers at most 3 per second and 100 per minute, from one object for the bot", async () => {
    const users = Array.from({ length: 5 }, () => String(Math.floor(Math.random() * 1e12)));
    const whisper = (userId: string, text: string): OutboxMessage => ({ platform: "twitch", userId, text });
    // Every recipient shares the bot's limits: the object is named for the whispers, not the user.
    expect(outboxName(whisper(users[0]!, "a"))).toBe(outboxName(whisper(users[1]!, "b")));
    const stub = stubFor(whisper(users[0]!, "x"));
    await runInDurableObject(stub, (_obj, state) => state.storage.sql.exec("DELETE FROM sent; DELETE FROM queue"));
    const t0 = Date.now();
    const statuses = [];
    for (const [i, userId] of users.entries()) statuses.push((await stub.enqueue(whisper(userId, `w${i}`), t0)).status);
    expect(statuses).toEqual(["sent", "sent", "sent", "queued", "queued"]);
    const sentTo = async () =>
      (await fake.requests("/helix/whispers")).filter((r) => users.some((u) => r.path.includes(`to_user_id=${u}`)));
    expect(await sentTo()).toHaveLength(3);
    expect(await alarmOf(stub)).toBe(t0 + 1_000);
    await stub.drain(t0 + 1_000);
    expect(await sentTo()).toHaveLength(5);

    // The minute's cap: 100 in 60 s, however they are spread over the seconds.
    await runInDurableObject(stub, (_obj, state) => {
      for (let i = 0; i < 100; i++) state.storage.sql.exec("INSERT INTO sent (at) VALUES (?)", t0 + 2_000 + i * 100);
    });
    const late = t0 + 20_000;
    expect((await stub.enqueue(whisper(users[0]!, "over the minute"), late)).status).toBe("queued");
    expect(await alarmOf(stub)).toBe(t0 + 2_000 + 60_000);
  });

  it("sends a Discord DM with its components and a Slack DM at most once per second", async () => {
    const userId = snowflake();
    const components = [
      { type: 1 as const, components: [{ type: 2 as const, style: 1 as const, label: "Yes", custom_id: "yes" }] },
    ];
    const dm: OutboxMessage = { platform: "discord", userId, text: "pick", components };
    expect((await stubFor(dm).enqueue(dm)).status).toBe("sent");
    const [sent] = await fake.requests(`/channels/dm-${userId}/messages`);
    expect(sent!.body).toMatchObject({ content: "pick", components, allowed_mentions: { parse: [] } });

    const slackUser = `U${crypto.randomUUID().slice(0, 8).toUpperCase()}`;
    const slack = (text: string): OutboxMessage => ({ platform: "slack", userId: slackUser, text });
    const stub = stubFor(slack("x"));
    const t0 = Date.now();
    expect((await stub.enqueue(slack("one"), t0)).status).toBe("sent");
    expect((await stub.enqueue(slack("two"), t0 + 10)).status).toBe("queued");
    expect(await alarmOf(stub)).toBe(t0 + 1_000);
  });

  it("refuses a message naming both a channel and a user, or neither", async () => {
    const stub = ns().get(ns().idFromName(crypto.randomUUID()));
    for (const bad of [
      { platform: "discord", channelId: snowflake(), userId: snowflake(), text: "x" },
      { platform: "twitch", text: "x" },
    ]) {
      const error = await stub.enqueue(bad as never).then(
        () => null,
        (e: Error) => e,
      );
      expect(error?.message).toMatch(/exactly one target/);
    }
    expect(await stub.pending()).toBe(0);
  });

  it("refuses a malformed message", async () => {
    const stub = ns().get(ns().idFromName(crypto.randomUUID()));
    const error = await stub.enqueue({ platform: "discord", channelId: "", text: "" }).then(
      () => null,
      (e: Error) => e,
    );
    expect(error?.message).toMatch(/invalid outbox message/);
    expect(await stub.pending()).toBe(0);
  });
});
