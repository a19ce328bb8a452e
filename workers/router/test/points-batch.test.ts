import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { pointsBuffer } from "../../../lib/events/points-buffer.ts";
import { createCommunity } from "../../../test/workerd/fixtures.ts";
import { pointsOf } from "../../../test/workerd/ingress.ts";
import { newSlackUser as newUser, slackMessage } from "../../../test/workerd/queued-events.ts";
import { deliverEvents as deliver } from "../../../test/workerd/router-queue.ts";

/** A Slack chat line (no command: 5 activity points, no reply) as the queue carries it. */
function line(community: { id: string; platformIds: { slack: string } }, user: string) {
  const { eventId, event } = slackMessage(community.platformIds.slack, "C0CHAT", "just chatting", undefined, user);
  return { id: `msg-${crypto.randomUUID()}`, body: { key: `slack:${eventId}`, communityId: community.id, event } };
}

const pointsMarks = async (keys: string[]) =>
  (
    await env.DB.prepare(
      `SELECT count(*) AS n FROM ingress_effects WHERE effect = 'points' AND event_key IN (${keys.map(() => "?").join(",")})`,
    )
      .bind(...keys)
      .first<{ n: number }>()
  )?.n;

describe("activity points from the queue, batched", () => {
  it("writes a queue batch's points in shared D1 batches, each line's points once", async () => {
    const community = await createCommunity();
    const users = [newUser(), newUser(), newUser()];
    const messages = Array.from({ length: 12 }, (_, i) => line(community, users[i % 3]!));
    const before = { ...pointsBuffer.stats };

    const result = await deliver(messages);
    expect(result.explicitAcks.sort()).toEqual(messages.map((m) => m.id).sort());
    for (const user of users) expect(await pointsOf(community.id, "slack", user)).toBe(20);
    expect(await pointsMarks(messages.map((m) => m.body.key))).toBe(12);
    expect(pointsBuffer.stats.awards - before.awards).toBe(12);
    // Twelve awards, far fewer commits (one per flush window; at most 25 awards per batch).
    expect(pointsBuffer.stats.flushes - before.flushes).toBeGreaterThan(0);
    expect(pointsBuffer.stats.flushes - before.flushes).toBeLessThanOrEqual(3);

    // Delivered again (at least once): acknowledged, no points added.
    const again = await deliver(messages, 2);
    expect(again.explicitAcks).toHaveLength(12);
    for (const user of users) expect(await pointsOf(community.id, "slack", user)).toBe(20);
  });

  it("adds an event's points once when two deliveries of it share a batch", async () => {
    const community = await createCommunity();
    const user = newUser();
    const one = line(community, user);
    const result = await deliver([one, { ...one, id: `${one.id}-again` }]);
    expect(result.explicitAcks).toHaveLength(2);
    expect(await pointsOf(community.id, "slack", user)).toBe(5);
  });

  it("makes a new chatter's user and identity with the first points, and only one of each", async () => {
    const community = await createCommunity();
    const user = newUser();
    await deliver([line(community, user), line(community, user)]);
    const rows = await env.DB.prepare(
      "SELECT u.id AS id, u.display_name AS name FROM users u JOIN user_identities i ON i.user_id = u.id WHERE i.platform = 'slack' AND i.platform_user_id = ?",
    )
      .bind(user)
      .all<{ id: string; name: string }>();
    expect(rows.results).toHaveLength(1);
    expect(await pointsOf(community.id, "slack", user)).toBe(10);
    // No user without an identity was left behind by the second award.
    const orphans = await env.DB.prepare(
      "SELECT count(*) AS n FROM users u WHERE u.primary_platform = 'slack' AND u.display_name = ? AND NOT EXISTS (SELECT 1 FROM user_identities i WHERE i.user_id = u.id)",
    )
      .bind(rows.results[0]!.name)
      .first<{ n: number }>();
    expect(orphans?.n).toBe(0);
  });

  it("an award that cannot be written fails only its own message; the others keep their points", async () => {
    const community = await createCommunity();
    const good = line(community, newUser());
    // A community that does not exist: its membership row breaks the foreign key.
    const bad = line({ ...community, id: crypto.randomUUID() }, newUser());
    const result = await deliver([good, bad]);
    expect(result.explicitAcks).toEqual([good.id]);
    expect(result.retryMessages.map((m) => m.msgId)).toEqual([bad.id]);
    expect(await pointsOf(community.id, "slack", good.body.event.user.id)).toBe(5);
    expect(await pointsMarks([bad.body.key])).toBe(0);
  });
});
