import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { fakeControl } from "../../../test/shared/fake-control.ts";
import { eventually, twitchHeaders } from "../../../test/shared/sign.ts";
import { createCommunity } from "../../../test/workerd/fixtures.ts";
import { auditRows, oversized, pointsOf, post, vars } from "../../../test/workerd/ingress.ts";
import { call } from "../../../test/workerd/self.ts";

const fake = fakeControl(env.FAKE_PLATFORM_URL);
const secret = vars.TWITCH_EVENTSUB_SECRET;
const twitchId = () => String(Math.floor(Math.random() * 1e12));

function notification(type: string, event: Record<string, unknown>) {
  return JSON.stringify({
    subscription: { id: crypto.randomUUID(), status: "enabled", type, version: "1", condition: {}, created_at: "" },
    event,
  });
}

const follow = (broadcasterId: string, userId: string) =>
  notification("channel.follow", {
    user_id: userId,
    user_login: "fan",
    user_name: "Fan",
    broadcaster_user_id: broadcasterId,
    followed_at: new Date().toISOString(),
  });

describe("Twitch EventSub", () => {
  it("answers the callback verification with the challenge, as text/plain, and records the subscription", async () => {
    const subscriptionId = crypto.randomUUID();
    const body = JSON.stringify({
      challenge: "pogchamp-kappa-360noscope",
      subscription: {
        id: subscriptionId,
        status: "webhook_callback_verification_pending",
        type: "channel.follow",
        version: "2",
        condition: { broadcaster_user_id: "1234", moderator_user_id: "1234" },
      },
    });
    const res = await post(
      "/twitch/eventsub",
      body,
      await twitchHeaders(secret, body, { type: "webhook_callback_verification" }),
    );
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/plain/);
    expect(await res.text()).toBe("pogchamp-kappa-360noscope");
    const row = await env.DB.prepare("SELECT status, broadcaster_id FROM twitch_eventsub_subscriptions WHERE id = ?")
      .bind(subscriptionId)
      .first();
    expect(row).toEqual({ status: "enabled", broadcaster_id: "1234" });
  });

  it("records a revocation with Twitch's reason and answers 2xx", async () => {
    const subscriptionId = crypto.randomUUID();
    const body = JSON.stringify({
      subscription: {
        id: subscriptionId,
        status: "authorization_revoked",
        type: "channel.follow",
        version: "2",
        condition: { broadcaster_user_id: "777" },
      },
    });
    const res = await post("/twitch/eventsub", body, await twitchHeaders(secret, body, { type: "revocation" }));
    expect(res.status).toBe(204);
    const row = await env.DB.prepare(
      "SELECT status, revoked_reason, revoked_at FROM twitch_eventsub_subscriptions WHERE id = ?",
    )
      .bind(subscriptionId)
      .first<{ status: string; revoked_reason: string; revoked_at: number }>();
    expect(row?.status).toBe("revoked");
    expect(row?.revoked_reason).toBe("authorization_revoked");
    expect(row?.revoked_at).toBeGreaterThan(0);
  });

  it("acknowledges a follow with 204 and awards the follower 10 points", async () => {
    const community = await createCommunity();
    const userId = twitchId();
    const body = follow(community.platformIds.twitch, userId);
    const res = await post("/twitch/eventsub", body, await twitchHeaders(secret, body));
    expect(res.status).toBe(204);
    expect(await eventually(() => pointsOf(community.id, "twitch", userId))).toBe(10);
  });

  it("processes the same message id once when it is delivered three times", async () => {
    const community = await createCommunity();
    const userId = twitchId();
    const body = follow(community.platformIds.twitch, userId);
    const headers = await twitchHeaders(secret, body);
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await post("/twitch/eventsub", body, headers)).status);
    expect(statuses).toEqual([204, 204, 204]);
    // A later follow by someone else: once its points are in, any repeat's would be too.
    const sentinel = twitchId();
    const after = follow(community.platformIds.twitch, sentinel);
    await post("/twitch/eventsub", after, await twitchHeaders(secret, after));
    await eventually(() => pointsOf(community.id, "twitch", sentinel));
    expect(await pointsOf(community.id, "twitch", userId)).toBe(10);
  });

  it("takes 10 points for a ban", async () => {
    const community = await createCommunity();
    const userId = twitchId();
    const body = notification("channel.ban", {
      user_id: userId,
      user_login: "troll",
      user_name: "Troll",
      broadcaster_user_id: community.platformIds.twitch,
      moderator_user_id: "1",
      reason: "spam",
      is_permanent: true,
    });
    await post("/twitch/eventsub", body, await twitchHeaders(secret, body));
    expect(await eventually(() => pointsOf(community.id, "twitch", userId))).toBe(-10);
  });

  it("credits a raid to the raided channel's community and gives the raider 30 points", async () => {
    const community = await createCommunity();
    const raider = twitchId();
    const body = notification("channel.raid", {
      from_broadcaster_user_id: raider,
      from_broadcaster_user_login: "raider",
      from_broadcaster_user_name: "Raider",
      to_broadcaster_user_id: community.platformIds.twitch,
      viewers: 42,
    });
    await post("/twitch/eventsub", body, await twitchHeaders(secret, body));
    expect(await eventually(() => pointsOf(community.id, "twitch", raider))).toBe(30);
  });

  it("gives a cheerer points by bits (1 per 10) and an anonymous cheer none", async () => {
    const community = await createCommunity();
    const userId = twitchId();
    const cheer = notification("channel.cheer", {
      is_anonymous: false,
      user_id: userId,
      user_login: "c",
      user_name: "C",
      broadcaster_user_id: community.platformIds.twitch,
      message: "Cheer500",
      bits: 500,
    });
    const anonymous = notification("channel.cheer", {
      is_anonymous: true,
      user_id: null,
      user_login: null,
      user_name: null,
      broadcaster_user_id: community.platformIds.twitch,
      message: "Cheer100",
      bits: 100,
    });
    expect((await post("/twitch/eventsub", anonymous, await twitchHeaders(secret, anonymous))).status).toBe(204);
    await post("/twitch/eventsub", cheer, await twitchHeaders(secret, cheer));
    expect(await eventually(() => pointsOf(community.id, "twitch", userId))).toBe(50);
    expect(await pointsOf(community.id, "twitch", "anonymous")).toBeUndefined();
  });

  it("answers !ping in channel.chat.message with a Helix chat message replying to it", async () => {
    const community = await createCommunity();
    const messageId = crypto.randomUUID();
    const body = notification("channel.chat.message", {
      broadcaster_user_id: community.platformIds.twitch,
      broadcaster_user_login: "streamer",
      chatter_user_id: twitchId(),
      chatter_user_login: "viewer",
      chatter_user_name: "Viewer",
      message_id: messageId,
      message: { text: "!ping", fragments: [] },
      badges: [{ set_id: "subscriber", id: "12", info: "16" }],
      message_type: "text",
    });
    expect((await post("/twitch/eventsub", body, await twitchHeaders(secret, body))).status).toBe(204);
    const sent = await fake.waitFor(
      "/helix/chat/messages",
      (r) => (r.body as { reply_parent_message_id?: string }).reply_parent_message_id === messageId,
    );
    expect(sent.body).toMatchObject({ broadcaster_id: community.platformIds.twitch, message: "pong" });
    expect(sent.headers.authorization).toMatch(/^Bearer fake-app-token-/);
  });

  it("rejects a forged signature with 403", async () => {
    const community = await createCommunity();
    const body = follow(community.platformIds.twitch, twitchId());
    const headers = await twitchHeaders(secret, body);
    const res = await post("/twitch/eventsub", body, {
      ...headers,
      "twitch-eventsub-message-signature": `sha256=${"0".repeat(64)}`,
    });
    expect(res.status).toBe(403);
  });

  it("rejects a signature made with another secret with 403", async () => {
    const community = await createCommunity();
    const body = follow(community.platformIds.twitch, twitchId());
    const res = await post("/twitch/eventsub", body, await twitchHeaders("another-secret-entirely", body));
    expect(res.status).toBe(403);
  });

  it("rejects a message without the sha256= prefix with 403", async () => {
    const body = follow("1", twitchId());
    const headers = await twitchHeaders(secret, body);
    const bare = headers["twitch-eventsub-message-signature"].slice("sha256=".length);
    const res = await post("/twitch/eventsub", body, { ...headers, "twitch-eventsub-message-signature": bare });
    expect(res.status).toBe(403);
  });

  it("refuses a correctly signed message older than 10 minutes with 403", async () => {
    const body = follow("1", twitchId());
    const timestamp = new Date(Date.now() - 11 * 60_000).toISOString();
    const res = await post("/twitch/eventsub", body, await twitchHeaders(secret, body, { timestamp }));
    expect(res.status).toBe(403);
  });

  it("refuses malformed JSON with 400", async () => {
    const body = '{"subscription": ';
    const res = await post("/twitch/eventsub", body, await twitchHeaders(secret, body));
    expect(res.status).toBe(400);
  });

  it("refuses a body over 64 KiB with 413", async () => {
    const body = oversized(64 * 1024);
    const res = await post("/twitch/eventsub", body, await twitchHeaders(secret, body));
    expect(res.status).toBe(413);
  });

  it("answers GET with 405", async () => {
    expect((await call("/twitch/eventsub")).status).toBe(405);
  });

  it("acknowledges an event for a broadcaster we do not know, records it, awards nothing", async () => {
    const broadcasterId = twitchId();
    const userId = twitchId();
    const body = follow(broadcasterId, userId);
    const res = await post("/twitch/eventsub", body, await twitchHeaders(secret, body));
    expect(res.status).toBe(204);
    expect(await auditRows("ingress.unknown_community", broadcasterId)).toHaveLength(1);
    const user = await env.DB.prepare("SELECT 1 FROM user_identities WHERE platform_user_id = ?").bind(userId).first();
    expect(user).toBeNull();
  });
});
