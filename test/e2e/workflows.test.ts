import { beforeAll, describe, expect, inject, it } from "vitest";
import { fakeControl } from "../shared/fake-control.ts";
import { eventually, relayHeaders, slackHeaders } from "../shared/sign.ts";
import { adminApi } from "./platforms.ts";
import { proLicence } from "./workflow-support.ts";

const urls = inject("urls");
const vars = inject("vars");
const community = inject("demoCommunityId");
const fake = fakeControl(inject("fakePlatformUrl"));
const hook = (path: string, body: string, headers: Record<string, string>) =>
  fetch(`${urls.webhooks}${path}`, { method: "POST", body, headers });
const base = `/api/v1/communities/${community}`;
const suffix = crypto.randomUUID().slice(0, 6);

async function publish(name: string, graph: unknown) {
  const created = await adminApi("POST", `${base}/workflows`, { name, graph });
  expect(created.status, created.body.message).toBe(201);
  const id = (created.body.data as { id: string }).id;
  const published = await adminApi("POST", `${base}/workflows/${id}/publish`);
  expect(published.status, JSON.stringify(published.body)).toBe(200);
  return id;
}

/** The workflow's newest finished execution, with its node trace. */
async function lastExecution(workflowId: string, count: number) {
  return eventually(async () => {
    const list = await adminApi("GET", `${base}/workflow-executions?workflowId=${workflowId}&status=completed`);
    const rows = list.body.data as { id: string }[];
    if (rows.length < count) return undefined;
    const one = await adminApi("GET", `${base}/workflow-executions/${rows[0]!.id}`);
    return one.body.data as { status: string; nodes: { nodeId: string; status: string; output: unknown }[] };
  }, 15_000);
}

const command = `hello${suffix}`;
let helloId = "";

beforeAll(async () => {
  expect((await adminApi("PUT", `${base}/workflow-licence`, { token: proLicence(community) })).status).toBe(200);
  const node = (id: string, type: string, config: Record<string, unknown>, y: number) => ({
    id,
    type,
    config,
    position: { x: 0, y },
  });
  helloId = await publish(`Hello ${suffix}`, {
    nodes: [
      node("t", "trigger_command", { command }, 0),
      node(
        "sub",
        "condition_if",
        { conditions: [{ left: "{{trigger.user.level}}", op: "in", right: "subscriber,vip,moderator,admin,owner" }] },
        100,
      ),
      node(
        "thanks",
        "action_chat_message",
        { message: "Hello {{trigger.user.username}}, thanks for subscribing!" },
        200,
      ),
      node(
        "ticker",
        "action_browser_source",
        { overlay: "ticker", data: { text: "{{trigger.user.username}} said hello" } },
        300,
      ),
      node("plain", "action_chat_message", { message: "Hello {{trigger.user.username}}!" }, 400),
    ],
    edges: [
      { id: "e1", source: "t", sourcePort: "out", target: "sub" },
      { id: "e2", source: "sub", sourcePort: "true", target: "thanks" },
      { id: "e3", source: "thanks", sourcePort: "out", target: "ticker" },
      { id: "e4", source: "sub", sourcePort: "false", target: "plain" },
    ],
  });
});

describe("a workflow on !hello: a subscriber gets a reply and a ticker, anyone else a reply only", () => {
  it("through a signed Slack event (not a subscriber): replies in the channel, no ticker", async () => {
    const channel = `C${crypto.randomUUID().slice(0, 8).toUpperCase()}`;
    // The delivery service asks Slack whose channel it is before the workflow's reply goes out.
    await fake.channelOwner("slack", channel, vars.DEMO_SLACK_TEAM_ID!);
    const body = JSON.stringify({
      type: "event_callback",
      team_id: vars.DEMO_SLACK_TEAM_ID,
      event_id: `Ev${crypto.randomUUID()}`,
      event: { type: "message", channel, user: "U0WF", text: `!${command}`, ts: "1700000000.000200" },
    });
    expect((await hook("/slack/events", body, await slackHeaders(vars.SLACK_SIGNING_SECRET!, body))).status).toBe(200);
    const sent = await fake.waitFor(
      "/slack/chat.postMessage",
      (r) => (r.body as { channel?: string }).channel === channel,
      15_000,
    );
    expect((sent.body as { text: string }).text).toMatch(/^Hello .+!$/);
    expect((sent.body as { text: string }).text).not.toMatch(/subscribing/);
    const run = await lastExecution(helloId, 1);
    expect(run.nodes.map((n) => n.nodeId)).not.toContain("ticker");
  });

  it("through the relay contract (a Twitch subscriber): thanks in chat and a ticker on the overlay", async () => {
    const broadcaster = vars.DEMO_TWITCH_BROADCASTER_ID!;
    const body = JSON.stringify({
      id: `irc-${crypto.randomUUID()}`,
      platform: "twitch",
      type: "message",
      communityPlatformId: broadcaster,
      channel: { id: broadcaster },
      user: { id: "5550001", username: `sub${suffix}`, badges: ["subscriber/12"] },
      text: `!${command}`,
      reply: { kind: "twitch", broadcasterId: broadcaster },
    });
    expect((await hook("/relay/events", body, await relayHeaders(vars.RELAY_SHARED_SECRET!, body))).status).toBe(202);
    const sent = await fake.waitFor(
      "/helix/chat/messages",
      (r) => (r.body as { message?: string }).message === `Hello sub${suffix}, thanks for subscribing!`,
      15_000,
    );
    expect(sent.body).toMatchObject({ broadcaster_id: broadcaster });
    const run = await lastExecution(helloId, 2);
    expect(run.nodes.find((n) => n.nodeId === "ticker")).toMatchObject({
      status: "completed",
      output: { overlay: "ticker" },
    });
  });
});

describe("a one-time schedule", () => {
  it("5 s ahead posts a chat message when it comes due", async () => {
    const channel = `C${crypto.randomUUID().slice(0, 8).toUpperCase()}`;
    await fake.channelOwner("slack", channel, vars.DEMO_SLACK_TEAM_ID!);
    const at = new Date(Date.now() + 5_000).toISOString();
    await publish(`Once ${suffix}`, {
      nodes: [
        { id: "t", type: "trigger_schedule", config: { schedule: { kind: "once", at } }, position: { x: 0, y: 0 } },
        {
          id: "say",
          type: "action_chat_message",
          config: { platform: "slack", channel, message: "Scheduled hello" },
          position: { x: 0, y: 100 },
        },
      ],
      edges: [{ id: "e1", source: "t", sourcePort: "out", target: "say" }],
    });
    expect(
      await fake
        .requests("/slack/chat.postMessage")
        .then((rs) => rs.some((r) => (r.body as { channel?: string }).channel === channel)),
    ).toBe(false);
    const sent = await fake.waitFor(
      "/slack/chat.postMessage",
      (r) => (r.body as { channel?: string }).channel === channel,
      20_000,
    );
    expect(sent.body).toMatchObject({ text: "Scheduled hello" });
    expect(sent.at).toBeGreaterThanOrEqual(Date.parse(at));
  });
});
