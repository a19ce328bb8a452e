import { introspectWorkflow } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCommunity } from "../../../../test/workerd/fixtures.ts";
import { NODE_TYPES } from "../../src/workflows/nodes.ts";
import { fake, fakeUrl, installModule, webhookAt } from "../support/router.ts";
import { graph, run } from "./support.ts";

let introspector: Awaited<ReturnType<typeof introspectWorkflow>>;
beforeAll(async () => {
  introspector = await introspectWorkflow(env.WORKFLOW_RUNNER);
  await introspector.modifyAll(async (m) => {
    await m.disableSleeps();
    await m.disableRetryDelays();
  });
});
afterAll(() => introspector[Symbol.asyncDispose]());

const manual = (data: Record<string, unknown>) => ({ kind: "manual" as const, data });
const ran = (nodes: { nodeId: string }[]) => nodes.map((n) => n.nodeId);

/** A Slack chat line as the trigger data of a command run. */
function slackTrigger(channel: string, user: Record<string, unknown> = {}) {
  const event = {
    id: crypto.randomUUID(),
    platform: "slack",
    type: "message",
    communityPlatformId: "T1",
    channel: { id: channel },
    user: { id: "U1", username: "pingu", roles: [], badges: [], ...user },
    text: "!hello",
    data: {},
    reply: { kind: "slack", channelId: channel },
    receivedAt: new Date().toISOString(),
  };
  return { kind: "command" as const, data: { event, user: { ...event.user, level: "everyone" }, args: [] } };
}

describe("node types", () => {
  it("has the 22 node types of the seeds", () => {
    expect(NODE_TYPES).toHaveLength(22);
  });

  it("condition_if follows true or false; condition_switch its case or default; condition_filter stops", async () => {
    const c = await createCommunity();
    const g = graph(
      [
        ["t", "trigger_webhook"],
        ["if", "condition_if", { conditions: [{ left: "{{trigger.n}}", op: "gt", right: "5" }] }],
        ["big", "flow_noop"],
        ["small", "flow_noop"],
        ["sw", "condition_switch", { value: "{{trigger.color}}", cases: [{ value: "red", port: "r" }] }],
        ["red", "flow_noop"],
        ["other", "flow_noop"],
        ["f", "condition_filter", { conditions: [{ left: "{{trigger.ok}}", op: "eq", right: "yes" }] }],
        ["passed", "flow_noop"],
      ],
      [
        ["t", "if"],
        ["if", "big", "true"],
        ["if", "small", "false"],
        ["t", "sw"],
        ["sw", "red", "r"],
        ["sw", "other", "default"],
        ["t", "f"],
        ["f", "passed", "pass"],
      ],
    );
    const a = await run(c.id, g, manual({ n: 9, color: "red", ok: "yes" }));
    expect(a.execution.status).toBe("completed");
    expect(ran(a.nodes)).toEqual(expect.arrayContaining(["big", "red", "passed"]));
    expect(ran(a.nodes)).not.toContain("small");
    const b = await run(c.id, g, manual({ n: 1, color: "blue", ok: "no" }));
    expect(ran(b.nodes)).toEqual(expect.arrayContaining(["small", "other", "f"]));
    expect(ran(b.nodes)).not.toContain("big");
    expect(ran(b.nodes)).not.toContain("passed");
  });

  it("flow_parallel runs every branch, flow_sequence in top-to-bottom order, action_delay sleeps", async () => {
    const c = await createCommunity();
    const r = await run(
      c.id,
      graph(
        [
          ["t", "trigger_webhook"],
          ["seq", "flow_sequence"],
          ["one", "data_array_push", { array: "order", value: "one" }],
          ["two", "data_array_push", { array: "order", value: "two" }],
          ["init", "data_variable_set", { name: "order", value: [] }],
          ["par", "flow_parallel"],
          ["p1", "flow_noop"],
          ["p2", "action_delay", { seconds: 60 }],
          ["p3", "flow_noop"],
        ],
        [
          ["t", "init"],
          ["init", "seq"],
          ["seq", "one"],
          ["seq", "two"],
          ["two", "par"],
          ["par", "p1"],
          ["par", "p2"],
          ["par", "p3"],
        ],
      ),
    );
    expect(r.execution.status).toBe("completed");
    expect(await r.out("two")).toEqual(["one", "two"]);
    expect(ran(r.nodes)).toEqual(expect.arrayContaining(["p1", "p2", "p3"]));
    expect(await r.out("p2")).toEqual({ seconds: 60 });
  });

  it("loop_foreach runs its body per item up to its cap; loop_while stops at its cap", async () => {
    const c = await createCommunity();
    const r = await run(
      c.id,
      graph(
        [
          ["t", "trigger_webhook"],
          ["init", "data_variable_set", { name: "seen", value: [] }],
          ["each", "loop_foreach", { items: "{{trigger.items}}", concurrency: 2, maxIterations: 3 }],
          ["push", "data_array_push", { array: "seen", value: "{{vars.item}}" }],
          ["after", "data_variable_set", { name: "n", value: 0 }],
          ["while", "loop_while", { conditions: [{ left: "{{vars.n}}", op: "lt", right: "100" }], maxIterations: 4 }],
          ["inc", "data_transform", { expression: "vars.n + 1", output: "n" }],
        ],
        [
          ["t", "init"],
          ["init", "each"],
          ["each", "push", "body"],
          ["each", "after", "done"],
          ["after", "while"],
          ["while", "inc", "body"],
          ["inc", "while"],
        ],
      ),
      manual({ items: ["a", "b", "c", "d", "e"] }),
    );
    expect(r.execution.status).toBe("completed");
    expect(r.nodes.filter((n) => n.nodeId === "push")).toHaveLength(3);
    expect(r.nodes.filter((n) => n.nodeId === "inc")).toHaveLength(4);
    expect(
      r.nodes
        .filter((n) => n.nodeId === "inc")
        .map((n) => n.output)
        .sort(),
    ).toEqual([1, 2, 3, 4]);
  });

  it("action_chat_message replies where the command came from, through the delivery service", async () => {
    const c = await createCommunity();
    const channel = `C${crypto.randomUUID().slice(0, 8)}`;
    await fake.channelOwner("slack", channel, c.platformIds.slack);
    const r = await run(
      c.id,
      graph(
        [
          ["t", "trigger_command", { command: "hello" }],
          ["say", "action_chat_message", { message: "Hello {{trigger.user.username}}!" }],
        ],
        [["t", "say"]],
      ),
      slackTrigger(channel),
    );
    expect(r.execution.status).toBe("completed");
    const sent = await fake.waitFor(
      "/slack/chat.postMessage",
      (q) => (q.body as { channel?: string }).channel === channel,
    );
    expect((sent.body as { text: string }).text).toBe("Hello pingu!");
  });

  it("action_chat_message with no platform to send to fails the node, naming it", async () => {
    const c = await createCommunity();
    const r = await run(
      c.id,
      graph(
        [
          ["t", "trigger_webhook"],
          ["say", "action_chat_message", { message: "hi" }],
        ],
        [["t", "say"]],
      ),
    );
    expect(r.execution.status).toBe("failed");
    expect(r.nodes.find((n) => n.nodeId === "say")?.status).toBe("failed");
  });

  it("action_chat_message to a channel of another community is refused by the delivery service; nothing is sent", async () => {
    const mine = await createCommunity();
    const theirs = await createCommunity();
    const foreign = `C${crypto.randomUUID().slice(0, 8)}`;
    await fake.channelOwner("slack", foreign, theirs.platformIds.slack);
    const say = (config: Record<string, unknown>) =>
      graph(
        [
          ["t", "trigger_webhook"],
          ["say", "action_chat_message", { message: "not yours", ...config }],
        ],
        [["t", "say"]],
      );
    // Named in the node, and forged as the trigger's own channel in a manual run's data.
    for (const r of [
      await run(mine.id, say({ platform: "twitch", channel: theirs.platformIds.twitch })),
      await run(mine.id, say({ platform: "slack", channel: foreign })),
      await run(mine.id, say({ platform: "trigger" }), { ...slackTrigger(foreign), kind: "manual" }),
    ]) {
      expect(r.execution.status).toBe("failed");
      expect(r.nodes.find((n) => n.nodeId === "say")?.error).toMatch(/does not belong to this community/);
    }
    const helix = await fake.requests("/helix/chat/messages");
    expect(
      helix.some((q) => (q.body as { broadcaster_id?: string }).broadcaster_id === theirs.platformIds.twitch),
    ).toBe(false);
    const slack = await fake.requests("/slack/chat.postMessage");
    expect(slack.some((q) => (q.body as { channel?: string }).channel === foreign)).toBe(false);
  });

  it("action_browser_source publishes to the community's overlay; bad overlay data fails the node", async () => {
    const c = await createCommunity();
    const r = await run(
      c.id,
      graph(
        [
          ["t", "trigger_webhook"],
          ["show", "action_browser_source", { overlay: "ticker", data: { text: "Welcome {{trigger.who}}" } }],
        ],
        [["t", "show"]],
      ),
      manual({ who: "Pingu" }),
    );
    expect(r.execution.status).toBe("completed");
    expect(await r.out("show")).toEqual({ overlay: "ticker", seq: 1 });
    const bad = await run(
      c.id,
      graph(
        [
          ["t", "trigger_webhook"],
          ["show", "action_browser_source", { overlay: "media", data: { nope: "x" } }],
        ],
        [["t", "show"]],
      ),
    );
    expect(bad.execution.status).toBe("failed");
  });

  it("action_webhook retries a failing endpoint, then takes the error port when it keeps failing", async () => {
    const c = await createCommunity();
    const path = `/wf-hook/${crypto.randomUUID()}`;
    await fake.script({ method: "POST", path, status: 500, times: 1 });
    await fake.script({ method: "POST", path, status: 200, body: { ok: 1 } });
    const ok = await run(
      c.id,
      graph(
        [
          ["t", "trigger_webhook"],
          [
            "call",
            "action_webhook",
            {
              url: fakeUrl(path),
              body: '{"who":"{{trigger.who}}"}',
              headers: { authorization: "Bearer s3cret" },
              retries: 2,
            },
          ],
        ],
        [["t", "call"]],
      ),
      manual({ who: "Pingu" }),
    );
    expect(ok.execution.status).toBe("completed");
    expect(await ok.out("call")).toEqual({ status: 200, body: { ok: 1 } });
    // The trace shows the input as it ran, and never a header's value (it may be a credential).
    const traced = ok.nodes.find((n) => n.nodeId === "call")!;
    expect(traced.input).toMatchObject({ body: '{"who":"Pingu"}', headers: { authorization: "[redacted]" } });
    expect(JSON.stringify(traced.input)).not.toContain("Bearer s3cret");
    expect((await fake.requests(path)).map((q) => q.raw)).toEqual(['{"who":"Pingu"}', '{"who":"Pingu"}']);

    const down = `/wf-down/${crypto.randomUUID()}`;
    await fake.script({ method: "POST", path: down, status: 503, times: 5 });
    const caught = await run(
      c.id,
      graph(
        [
          ["t", "trigger_webhook"],
          ["call", "action_webhook", { url: fakeUrl(down), retries: 1 }],
          ["fallback", "data_variable_set", { name: "failed", value: "{{nodes.call.error}}" }],
        ],
        [
          ["t", "call"],
          ["call", "fallback", "error"],
        ],
      ),
    );
    expect(caught.execution.status).toBe("completed");
    expect(await caught.out("fallback")).toMatch(/503/);
    expect(await fake.requests(down)).toHaveLength(2);
  });

  it("action_webhook refuses a private address (SSRF guard) without retrying", async () => {
    const c = await createCommunity();
    const r = await run(
      c.id,
      graph(
        [
          ["t", "trigger_webhook"],
          ["call", "action_webhook", { url: "https://169.254.169.254/latest", retries: 3 }],
        ],
        [["t", "call"]],
      ),
    );
    expect(r.execution.status).toBe("failed");
    expect(r.nodes.find((n) => n.nodeId === "call")?.error).toMatch(/URL refused/);
  });

  it("action_module calls an installed module and sends its chat replies to the trigger's channel", async () => {
    const c = await createCommunity();
    const hook = webhookAt();
    await fake.script({
      method: "POST",
      path: hook.path,
      status: 200,
      body: { replies: [{ type: "chat", text: "from module" }] },
    });
    const mod = await installModule(c.id, { engine: "webhook", config: hook.config, commands: [] });
    const channel = `C${crypto.randomUUID().slice(0, 8)}`;
    await fake.channelOwner("slack", channel, c.platformIds.slack);
    const r = await run(
      c.id,
      graph(
        [
          ["t", "trigger_command", { command: "hello" }],
          ["m", "action_module", { moduleId: mod.id, command: "greet", args: ["{{trigger.user.username}}"] }],
        ],
        [["t", "m"]],
      ),
      slackTrigger(channel),
    );
    expect(r.execution.status).toBe("completed");
    const call = (await fake.requests(hook.path))[0]!;
    expect(call.body).toMatchObject({ command: { name: "greet", args: ["pingu"] }, communityId: c.id });
    await fake.waitFor("/slack/chat.postMessage", (q) => (q.body as { channel?: string }).channel === channel);
  });
});
