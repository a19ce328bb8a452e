import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { fakeControl } from "../../../test/shared/fake-control.ts";
import { eventually, slackHeaders, unixSeconds } from "../../../test/shared/sign.ts";
import { createCommunity } from "../../../test/workerd/fixtures.ts";
import { auditRows, oversized, pointsOf, post, vars } from "../../../test/workerd/ingress.ts";
import { call } from "../../../test/workerd/self.ts";

const fake = fakeControl(env.FAKE_PLATFORM_URL);
const secret = vars.SLACK_SIGNING_SECRET;
const sid = (prefix: string) => `${prefix}${crypto.randomUUID().replaceAll("-", "").slice(0, 10).toUpperCase()}`;

function eventCallback(teamId: string, event: Record<string, unknown>, eventId = sid("Ev")) {
  return JSON.stringify({
    token: "legacy",
    team_id: teamId,
    api_app_id: "A1",
    type: "event_callback",
    event_id: eventId,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [{ team_id: teamId, user_id: "UBOT", is_bot: true }],
    event,
  });
}

const message = (channel: string, user: string, text: string) => ({
  type: "message",
  channel,
  user,
  text,
  ts: `${Date.now() / 1000}`,
});

const sendEvent = async (body: string, extra: Record<string, string> = {}) =>
  post("/slack/events", body, { ...(await slackHeaders(secret, body)), ...extra });

const postsTo = async (channel: string) =>
  (await fake.requests("/slack/chat.postMessage")).filter((r) => (r.body as { channel?: string }).channel === channel);

describe("Slack events", () => {
  it("echoes the url_verification challenge after checking the signature", async () => {
    const body = JSON.stringify({
      token: "t",
      challenge: "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P",
      type: "url_verification",
    });
    const res = await sendEvent(body);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P");
  });

  it("answers !ping in a channel with chat.postMessage and gives the author 5 points", async () => {
    const community = await createCommunity();
    const channel = sid("C");
    const user = sid("U");
    const res = await sendEvent(eventCallback(community.platformIds.slack, message(channel, user, "!ping")));
    expect(res.status).toBe(200);
    const sent = await eventually(async () => (await postsTo(channel))[0]);
    expect(sent.body).toMatchObject({ channel, text: "pong", blocks: [{ type: "section" }] });
    expect(sent.headers.authorization).toBe(`Bearer ${vars.SLACK_BOT_TOKEN}`);
    expect(await eventually(() => pointsOf(community.id, "slack", user))).toBe(5);
  });

  it("processes a retried event (X-Slack-Retry-Num) once", async () => {
    const community = await createCommunity();
    const user = sid("U");
    const body = eventCallback(community.platformIds.slack, {
      type: "reaction_added",
      user,
      reaction: "tada",
      item: { type: "message", channel: sid("C"), ts: "1.2" },
    });
    expect((await sendEvent(body)).status).toBe(200);
    expect((await sendEvent(body, { "x-slack-retry-num": "1", "x-slack-retry-reason": "http_timeout" })).status).toBe(
      200,
    );
    expect((await sendEvent(body, { "x-slack-retry-num": "2", "x-slack-retry-reason": "http_timeout" })).status).toBe(
      200,
    );
    const sentinel = sid("U");
    await sendEvent(
      eventCallback(community.platformIds.slack, {
        type: "reaction_added",
        user: sentinel,
        reaction: "x",
        item: { channel: "C1" },
      }),
    );
    await eventually(() => pointsOf(community.id, "slack", sentinel));
    expect(await pointsOf(community.id, "slack", user)).toBe(3);
  });

  it("awards the seeds' points for a file (15), a join (10) and a mention (8)", async () => {
    const community = await createCommunity();
    const team = community.platformIds.slack;
    const [a, b, c] = [sid("U"), sid("U"), sid("U")];
    await sendEvent(eventCallback(team, { type: "file_shared", file_id: "F1", user_id: a, channel_id: sid("C") }));
    await sendEvent(eventCallback(team, { type: "member_joined_channel", user: b, channel: sid("C") }));
    await sendEvent(
      eventCallback(team, { type: "app_mention", user: c, text: "<@UBOT> hello", channel: sid("C"), ts: "1.1" }),
    );
    expect(await eventually(() => pointsOf(community.id, "slack", a))).toBe(15);
    expect(await eventually(() => pointsOf(community.id, "slack", b))).toBe(10);
    expect(await eventually(() => pointsOf(community.id, "slack", c))).toBe(8);
  });

  it("ignores the bot's own messages and other bots' messages", async () => {
    const community = await createCommunity();
    const channel = sid("C");
    await sendEvent(eventCallback(community.platformIds.slack, message(channel, "UBOT", "!ping")));
    await sendEvent(
      eventCallback(community.platformIds.slack, {
        ...message(channel, sid("U"), "!ping"),
        bot_id: "B1",
        subtype: "bot_message",
      }),
    );
    // A human's line afterwards: once its reply is out, the bots' would have been too.
    await sendEvent(eventCallback(community.platformIds.slack, message(channel, sid("U"), "!help")));
    await eventually(async () => ((await postsTo(channel)).length > 0 ? true : undefined));
    expect((await postsTo(channel)).map((r) => (r.body as { text: string }).text)).toEqual([
      expect.stringMatching(/^Commands you can use: .*!help.*!ping/),
    ]);
  });

  it("rejects a forged signature with 401", async () => {
    const body = eventCallback("T1", message("C1", "U1", "hi"));
    const headers = await slackHeaders(secret, body);
    const res = await post("/slack/events", body, { ...headers, "x-slack-signature": `v0=${"a".repeat(64)}` });
    expect(res.status).toBe(401);
  });

  it("rejects a signature made with another signing secret with 401", async () => {
    const body = eventCallback("T1", message("C1", "U1", "hi"));
    const res = await post("/slack/events", body, await slackHeaders("not-our-signing-secret", body));
    expect(res.status).toBe(401);
  });

  it("refuses a timestamp more than 5 minutes old, or ahead, with 401", async () => {
    const body = eventCallback("T1", message("C1", "U1", "hi"));
    expect((await post("/slack/events", body, await slackHeaders(secret, body, unixSeconds(-301)))).status).toBe(401);
    expect((await post("/slack/events", body, await slackHeaders(secret, body, unixSeconds(301)))).status).toBe(401);
  });

  it("refuses malformed JSON with 400", async () => {
    const res = await sendEvent('{"type": "event_callback",');
    expect(res.status).toBe(400);
  });

  it("refuses a body over 64 KiB with 413", async () => {
    const body = oversized(64 * 1024);
    expect((await sendEvent(body)).status).toBe(413);
  });

  it("answers GET with 405", async () => {
    expect((await call("/slack/events")).status).toBe(405);
  });

  it("acknowledges an event from a workspace we do not know, and records it", async () => {
    const team = sid("T");
    const res = await sendEvent(eventCallback(team, message(sid("C"), sid("U"), "!ping")));
    expect(res.status).toBe(200);
    expect(await auditRows("ingress.unknown_community", team)).toHaveLength(1);
  });
});
