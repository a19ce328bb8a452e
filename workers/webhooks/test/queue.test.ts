import { createExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { eventually, twitchHeaders } from "../../../test/shared/sign.ts";
import { createCommunity } from "../../../test/workerd/fixtures.ts";
import { pointsOf, post, vars } from "../../../test/workerd/ingress.ts";
import { slackMessage } from "../../../test/workerd/queued-events.ts";
import type { Env } from "../src/env.ts";
import worker from "../src/index.ts";

/**
 * The events queue end to end: this worker produces, the router (an auxiliary worker here, as in
 * production a worker of its own) consumes; its consumer's own tests are the router's
 * events-queue.test.ts.
 */
const workerEnv = env as unknown as Env;

describe("the events queue (produced here, consumed by the router)", () => {
  it("moves a message that keeps failing to the dead-letter queue, which records it", async () => {
    // Points for a community that no longer exists: the membership insert fails on every attempt.
    const gone = crypto.randomUUID();
    const { eventId, event } = slackMessage("TGONE", "CGONE", "hello");
    const key = `slack:${eventId}`;
    await workerEnv.EVENTS.send({ key, communityId: gone, event });

    const audit = await eventually(
      () =>
        env.DB.prepare("SELECT * FROM audit_log WHERE action = 'ingress.dead_letter' AND target_id = ?")
          .bind(eventId)
          .first<{ outcome: string; community_id: string; details: string }>()
          .then((r) => r ?? undefined),
      10_000,
    );
    expect(audit.outcome).toBe("failure");
    expect(audit.community_id).toBe(gone);
    // Five retries after the first attempt (wrangler.toml), then the dead-letter queue.
    expect(JSON.parse(audit.details)).toMatchObject({ eventKey: key, reason: "retries exhausted" });
    const dead = await env.DB.prepare("SELECT data FROM ingress_effects WHERE event_key = ? AND effect = 'dead'")
      .bind(key)
      .first<{ data: string }>();
    expect(JSON.parse(dead?.data ?? "null")).toMatchObject({ key, communityId: gone, event: { id: eventId } });
  });

  it("answers 500 when the queue refuses an event and forgets the delivery, so Twitch's retry is processed", async () => {
    const community = await createCommunity();
    const follower = String(Math.floor(Math.random() * 1e9));
    const body = JSON.stringify({
      subscription: { id: crypto.randomUUID(), status: "enabled", type: "channel.follow", version: "2", condition: {} },
      event: { user_id: follower, user_login: "fan", broadcaster_user_id: community.platformIds.twitch },
    });
    const headers = await twitchHeaders(vars.TWITCH_EVENTSUB_SECRET, body);
    // A Queue binding that refuses every send: a real queue cannot be made to refuse locally.
    const refusing = { ...workerEnv, EVENTS: { send: () => Promise.reject(new Error("queue unavailable")) } };
    const request = new Request("http://worker.test/twitch/eventsub", { method: "POST", body, headers });
    const res = await worker.fetch(request, refusing as never, createExecutionContext());
    expect(res.status).toBe(500);

    // The same delivery again (Twitch retries a 5xx): not dropped as a duplicate, processed once.
    expect((await post("/twitch/eventsub", body, headers)).status).toBe(204);
    expect(await eventually(() => pointsOf(community.id, "twitch", follower))).toBe(10);
  });
});
