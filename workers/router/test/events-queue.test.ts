import { createMessageBatch } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { DEAD_LETTER_QUEUE, EVENTS_QUEUE, type QueuedEvent } from "../../../lib/events/queued-event.ts";
import { fakeControl } from "../../../test/shared/fake-control.ts";
import { eventually } from "../../../test/shared/sign.ts";
import { createCommunity } from "../../../test/workerd/fixtures.ts";
import { pointsOf } from "../../../test/workerd/ingress.ts";
import { slackMessage, twitchPing } from "../../../test/workerd/queued-events.ts";
import { deliver, routerQueue } from "../../../test/workerd/router-queue.ts";

/**
 * The router's consumer of the events queue (src/events/consume.ts): what the webhooks worker
 * acknowledged is routed here, in this worker's isolate, and its effects (replies, moderation
 * actions, points) happen once however often the broker delivers it.
 */
const fake = fakeControl(env.FAKE_PLATFORM_URL);

/** Takes a table away and puts it back: a real D1 failure for whatever reads or writes it. */
async function withoutTable<T>(table: string, run: () => Promise<T>): Promise<T> {
  await env.DB.prepare(`ALTER TABLE ${table} RENAME TO ${table}_offline`).run();
  try {
    return await run();
  } finally {
    await env.DB.prepare(`ALTER TABLE ${table}_offline RENAME TO ${table}`).run();
  }
}

const marks = async (key: string) =>
  (
    await env.DB.prepare("SELECT effect FROM ingress_effects WHERE event_key = ? ORDER BY effect").bind(key).all<{
      effect: string;
    }>()
  ).results.map((r) => r.effect);

const postsIn = async (channel: string) =>
  (await fake.requests("/slack/chat.postMessage")).filter((r) => (r.body as { channel?: string }).channel === channel);

describe("the events queue, consumed by the router (at least once, effects once)", () => {
  it("retries a delivery the router failed, then answers once; a later redelivery changes nothing", async () => {
    const community = await createCommunity();
    const { messageId, event } = twitchPing(community.platformIds.twitch);
    const key = `twitch:${messageId}`;
    const body: QueuedEvent = { key, communityId: community.id, event };

    // The router cannot load the community's config: its RPC fails, so the message is retried.
    const first = await withoutTable("router_settings", () => deliver(EVENTS_QUEUE, "m1", body, 1));
    expect(first.retryMessages.map((m) => m.msgId)).toEqual(["m1"]);
    expect(first.explicitAcks).toEqual([]);
    expect(await marks(key)).toEqual([]);

    const second = await deliver(EVENTS_QUEUE, "m1", body, 2);
    expect(second.explicitAcks).toEqual(["m1"]);
    const isReply = (r: { body: unknown }) =>
      (r.body as { reply_parent_message_id?: string }).reply_parent_message_id === messageId;
    const sent = await fake.waitFor("/helix/chat/messages", isReply);
    expect(sent.body).toMatchObject({ message: "pong" });
    expect(await marks(key)).toEqual(["replies", "routed"]);

    // Delivered again (at least once): acknowledged, nothing sent again. A later reply on the
    // same channel outbox (first in, first out) arriving proves a repeat would have arrived too.
    const third = await deliver(EVENTS_QUEUE, "m1", body, 3);
    expect(third.explicitAcks).toEqual(["m1"]);
    const later = twitchPing(community.platformIds.twitch);
    await deliver(
      EVENTS_QUEUE,
      "m2",
      { key: `twitch:${later.messageId}`, communityId: community.id, event: later.event },
      1,
    );
    await fake.waitFor(
      "/helix/chat/messages",
      (r) => (r.body as { reply_parent_message_id?: string }).reply_parent_message_id === later.messageId,
    );
    expect((await fake.requests("/helix/chat/messages")).filter(isReply)).toHaveLength(1);
  });

  it("after a partial failure (reply sent, points failed) the redelivery awards the points once and does not reply again", async () => {
    const community = await createCommunity();
    const channel = `C${crypto.randomUUID().slice(0, 8).toUpperCase()}`;
    const { eventId, user, event } = slackMessage(community.platformIds.slack, channel, "!ping");
    const key = `slack:${eventId}`;
    const body: QueuedEvent = { key, communityId: community.id, event };

    const first = await withoutTable("community_members", async () => {
      const result = await deliver(EVENTS_QUEUE, "p1", body, 1);
      // The reply went out even though the points could not be written.
      await fake.waitFor("/slack/chat.postMessage", (r) => (r.body as { channel?: string }).channel === channel);
      return result;
    });
    expect(first.retryMessages.map((m) => m.msgId)).toEqual(["p1"]);
    expect(await marks(key)).toEqual(["replies", "routed"]);
    expect(await pointsOf(community.id, "slack", user)).toBeUndefined();

    const second = await deliver(EVENTS_QUEUE, "p1", body, 2);
    expect(second.explicitAcks).toEqual(["p1"]);
    expect(await pointsOf(community.id, "slack", user)).toBe(5);
    const third = await deliver(EVENTS_QUEUE, "p1", body, 3);
    expect(third.explicitAcks).toEqual(["p1"]);
    expect(await pointsOf(community.id, "slack", user)).toBe(5);

    // A threaded reply on the same channel's outbox comes after any repeat of the first one.
    const sentinel = slackMessage(community.platformIds.slack, channel, "!ping", "1700000000.000100");
    await deliver(
      EVENTS_QUEUE,
      "p2",
      { key: `slack:${sentinel.eventId}`, communityId: community.id, event: sentinel.event },
      1,
    );
    await fake.waitFor(
      "/slack/chat.postMessage",
      (r) =>
        (r.body as { thread_ts?: string }).thread_ts !== undefined &&
        (r.body as { channel?: string }).channel === channel,
      10_000,
    );
    const unthreaded = (await postsIn(channel)).filter(
      (r) => (r.body as { thread_ts?: string }).thread_ts === undefined,
    );
    expect(unthreaded).toHaveLength(1);
  });

  it("one batch: a redelivered event beside a new one is not routed or answered again, the new one is", async () => {
    const community = await createCommunity();
    const channel = `C${crypto.randomUUID().slice(0, 8).toUpperCase()}`;
    const seen = slackMessage(community.platformIds.slack, channel, "!ping");
    const fresh = slackMessage(community.platformIds.slack, channel, "!ping");
    const body = (m: typeof seen): QueuedEvent => ({
      key: `slack:${m.eventId}`,
      communityId: community.id,
      event: m.event,
    });
    expect((await deliver(EVENTS_QUEUE, "b1", body(seen), 1)).explicitAcks).toEqual(["b1"]);
    await fake.waitFor("/slack/chat.postMessage", (r) => (r.body as { channel?: string }).channel === channel);

    const batch = createMessageBatch(EVENTS_QUEUE, [
      { id: "b1", timestamp: new Date(), attempts: 2, body: body(seen) },
      { id: "b2", timestamp: new Date(), attempts: 1, body: body(fresh) },
      { id: "b3", timestamp: new Date(), attempts: 1, body: { key: "relay:bad", event: {} } as unknown },
    ]);
    const result = await routerQueue(batch);
    expect([...result.explicitAcks].sort()).toEqual(["b1", "b2", "b3"]);
    expect(await marks(`slack:${fresh.eventId}`)).toEqual(["points", "replies", "routed"]);
    // The router was asked about the new event only: its execution row is written with any other
    // of the batch (one audit flush), and the redelivered event still has only its first one.
    const executions = (eventId: string) =>
      env.DB.prepare("SELECT count(*) AS n FROM command_executions WHERE event_id = ?")
        .bind(eventId)
        .first<{ n: number }>()
        .then((r) => r?.n ?? 0);
    await eventually(async () => ((await executions(fresh.event.id)) === 1 ? true : undefined), 10_000);
    expect(await executions(seen.event.id)).toBe(1);
    await eventually(async () => ((await postsIn(channel)).length === 2 ? true : undefined), 10_000);
    expect(await pointsOf(community.id, "slack", seen.user)).toBe(5);
  });

  it("retries every message of a batch when its marks cannot be read, and sends nothing", async () => {
    const community = await createCommunity();
    const channel = `C${crypto.randomUUID().slice(0, 8).toUpperCase()}`;
    const one = slackMessage(community.platformIds.slack, channel, "!ping");
    const batch = createMessageBatch(EVENTS_QUEUE, [
      {
        id: "r1",
        timestamp: new Date(),
        attempts: 1,
        body: { key: `slack:${one.eventId}`, communityId: community.id, event: one.event },
      },
    ]);
    const result = await withoutTable("ingress_effects", () => routerQueue(batch));
    expect(result.retryMessages.map((m) => m.msgId)).toEqual(["r1"]);
    expect(result.explicitAcks).toEqual([]);
    expect(await postsIn(channel)).toEqual([]);
  });

  it("records a message that does not validate at once, instead of retrying it", async () => {
    const result = await deliver(EVENTS_QUEUE, "bad-1", { key: "relay:x", event: { nope: true } }, 1);
    expect(result.explicitAcks).toEqual(["bad-1"]);
    const row = await env.DB.prepare(
      "SELECT details FROM audit_log WHERE action = 'ingress.dead_letter' AND details LIKE ?",
    )
      .bind('%"eventKey":"relay:x"%')
      .first<{ details: string }>();
    expect(JSON.parse(row?.details ?? "{}")).toMatchObject({ reason: "invalid message" });
  });

  it("keeps a dead letter for retrying when D1 refuses the record", async () => {
    const result = await withoutTable("ingress_effects", () =>
      deliver(DEAD_LETTER_QUEUE, "d1", { key: "relay:y", communityId: "c", event: {} }, 1),
    );
    expect(result.retryMessages.map((m) => m.msgId)).toEqual(["d1"]);
  });
});
