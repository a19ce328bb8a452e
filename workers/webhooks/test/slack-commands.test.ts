import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { fakeControl } from "../../../test/shared/fake-control.ts";
import { slackHeaders, unixSeconds } from "../../../test/shared/sign.ts";
import { createCommunity } from "../../../test/workerd/fixtures.ts";
import { auditRows, post, vars } from "../../../test/workerd/ingress.ts";
import { call } from "../../../test/workerd/self.ts";

const fake = fakeControl(env.FAKE_PLATFORM_URL);
const secret = vars.SLACK_SIGNING_SECRET;
const sid = (prefix: string) => `${prefix}${crypto.randomUUID().replaceAll("-", "").slice(0, 10).toUpperCase()}`;

function command(teamId: string, text: string) {
  const responseId = crypto.randomUUID();
  const form = new URLSearchParams({
    token: "legacy",
    team_id: teamId,
    channel_id: sid("C"),
    channel_name: "general",
    user_id: sid("U"),
    user_name: "penguin",
    command: "/waddlebot",
    text,
    response_url: `${env.FAKE_PLATFORM_URL}/slack-response/${responseId}`,
    trigger_id: `${Date.now()}.${crypto.randomUUID()}`,
  }).toString();
  return { form, responsePath: `/slack-response/${responseId}` };
}

const formHeaders = (body: string, timestamp?: string) => slackHeaders(secret, body, timestamp, "form");

describe("Slack slash command /waddlebot", () => {
  it("acknowledges at once with an empty 200 and sends the reply to response_url", async () => {
    const community = await createCommunity();
    const { form, responsePath } = command(community.platformIds.slack, "ping");
    const res = await post("/slack/commands", form, await formHeaders(form));
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("");
    const reply = await fake.waitFor(responsePath);
    expect(reply.body).toMatchObject({ text: "pong", response_type: "in_channel", blocks: [{ type: "section" }] });
  });

  it("runs the same command delivery once when it arrives three times", async () => {
    const community = await createCommunity();
    const { form, responsePath } = command(community.platformIds.slack, "ping");
    const headers = await formHeaders(form);
    for (let i = 0; i < 3; i++) expect((await post("/slack/commands", form, headers)).status).toBe(200);
    const later = command(community.platformIds.slack, "ping");
    await post("/slack/commands", later.form, await formHeaders(later.form));
    await fake.waitFor(later.responsePath);
    expect(await fake.requests(responsePath)).toHaveLength(1);
  });

  it("tells the user ephemerally when the workspace is not connected, and records it", async () => {
    const team = sid("T");
    const { form } = command(team, "ping");
    const res = await post("/slack/commands", form, await formHeaders(form));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      response_type: "ephemeral",
      text: "This workspace is not connected to WaddleBot yet.",
    });
    expect(await auditRows("ingress.unknown_community", team)).toHaveLength(1);
  });

  it("answers Slack's ssl_check with 200 and nothing else", async () => {
    const res = await post("/slack/commands", "ssl_check=1&token=legacy", {
      "content-type": "application/x-www-form-urlencoded",
    });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("");
  });

  it("rejects a forged, another-secret or stale command with 401", async () => {
    const { form } = command("T1", "ping");
    const forged = { ...(await formHeaders(form)), "x-slack-signature": `v0=${"b".repeat(64)}` };
    expect((await post("/slack/commands", form, forged)).status).toBe(401);
    expect(
      (await post("/slack/commands", form, await slackHeaders("other-secret", form, undefined, "form"))).status,
    ).toBe(401);
    expect((await post("/slack/commands", form, await formHeaders(form, unixSeconds(-600)))).status).toBe(401);
  });

  it("refuses a signed form without the command fields with 400", async () => {
    const form = "team_id=T1&text=ping";
    expect((await post("/slack/commands", form, await formHeaders(form))).status).toBe(400);
  });

  it("refuses an oversized form with 413", async () => {
    const form = `text=${"x".repeat(64 * 1024)}`;
    expect((await post("/slack/commands", form, await formHeaders(form))).status).toBe(413);
  });

  it("answers GET with 405", async () => {
    expect((await call("/slack/commands")).status).toBe(405);
  });
});

describe("Slack interactivity", () => {
  const interaction = (payload: unknown) => `payload=${encodeURIComponent(JSON.stringify(payload))}`;

  it("acknowledges a button click (block_actions) and routes it", async () => {
    const community = await createCommunity();
    const userId = sid("U");
    const form = interaction({
      type: "block_actions",
      team: { id: community.platformIds.slack },
      user: { id: userId, username: "penguin" },
      channel: { id: sid("C"), name: "general" },
      trigger_id: crypto.randomUUID(),
      response_url: `${env.FAKE_PLATFORM_URL}/slack-response/${crypto.randomUUID()}`,
      actions: [{ action_id: "vote", block_id: "b1", value: "yes", type: "button", action_ts: "1.2" }],
    });
    const res = await post("/slack/interactions", form, await formHeaders(form));
    expect(res.status).toBe(200);
    // Routed after the acknowledgement: the member is looked up (users.info) on the way to the
    // router. Waiting for it keeps the background work inside this test.
    await fake.waitFor("/slack/users.info", (r) => JSON.stringify(r.body).includes(userId));
  });

  it("closes a submitted modal (view_submission) with an empty 200", async () => {
    const community = await createCommunity();
    const form = interaction({
      type: "view_submission",
      team: { id: community.platformIds.slack },
      user: { id: sid("U"), username: "penguin" },
      trigger_id: crypto.randomUUID(),
      view: {
        id: "V1",
        callback_id: "feedback",
        state: { values: { b1: { text: { type: "plain_text_input", value: "nice" } } } },
      },
    });
    const res = await post("/slack/interactions", form, await formHeaders(form));
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("");
  });

  it("refuses a payload that is not JSON with 400", async () => {
    const form = "payload=%7Bnot-json";
    expect((await post("/slack/interactions", form, await formHeaders(form))).status).toBe(400);
  });

  it("rejects an unsigned interaction with 401", async () => {
    const form = interaction({ type: "block_actions" });
    expect(
      (await post("/slack/interactions", form, { "content-type": "application/x-www-form-urlencoded" })).status,
    ).toBe(401);
  });
});
