import { introspectWorkflow } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCommunity, createUserWithKey } from "../../../../test/workerd/fixtures.ts";
import { api, chat, fake, fakeUrl, send } from "../support/router.ts";
import { graph, waitForExecution } from "./support.ts";

let introspector: Awaited<ReturnType<typeof introspectWorkflow>>;
beforeAll(async () => {
  introspector = await introspectWorkflow(env.WORKFLOW_RUNNER);
  await introspector.modifyAll(async (m) => {
    await m.disableSleeps();
    await m.disableRetryDelays();
  });
});
afterAll(() => introspector[Symbol.asyncDispose]());

async function published(g: ReturnType<typeof graph>) {
  const community = await createCommunity();
  const admin = await createUserWithKey({ communityId: community.id, role: "admin" });
  const base = `/api/v1/communities/${community.id}`;
  // biome-ignore lint/suspicious/noExplicitAny: answers are read loosely in these tests
  const call = <T = any>(m: string, p: string, body?: unknown) => api<T>(m, `${base}${p}`, admin.authorization, body);
  const wf = await call("POST", "/workflows", { name: "w", graph: g });
  const pub = await call("POST", `/workflows/${wf.data.id}/publish`);
  expect(pub.status, JSON.stringify(pub.data)).toBe(200);
  return { community, call, workflowId: wf.data.id as string };
}

describe("executions", () => {
  it("run now: the execution and each node's trace (inputs, outputs, timings) are listed and filtered", async () => {
    const { call, workflowId } = await published(
      graph(
        [
          ["t", "trigger_webhook"],
          ["x", "data_transform", { expression: "trigger.n * 2", output: "double" }],
        ],
        [["t", "x"]],
      ),
    );
    const started = await call("POST", `/workflows/${workflowId}/execute`, { data: { n: 21 } });
    expect(started.status).toBe(202);
    await waitForExecution(started.data.executionId);
    const list = await call("GET", `/workflow-executions?workflowId=${workflowId}&status=completed`);
    expect(list.data.map((e: { id: string }) => e.id)).toEqual([started.data.executionId]);
    expect((await call("GET", `/workflow-executions?workflowId=${workflowId}&status=failed`)).data).toEqual([]);
    expect((await call("GET", "/workflow-executions?status=bogus")).status).toBe(400);
    const one = await call("GET", `/workflow-executions/${started.data.executionId}`);
    expect(one.data).toMatchObject({ status: "completed", trigger: "manual", input: { n: 21 } });
    expect(one.data.nodes.find((n: { nodeId: string }) => n.nodeId === "x")).toMatchObject({
      status: "completed",
      output: 42,
    });
  });

  it("retries a failed execution from the failed node, with the variables it had there", async () => {
    const path = `/wf-retry/${crypto.randomUUID()}`;
    await fake.script({ method: "POST", path, status: 500, times: 1 });
    const { call, workflowId } = await published(
      graph(
        [
          ["t", "trigger_webhook"],
          ["set", "data_variable_set", { name: "who", value: "Pingu" }],
          ["call", "action_webhook", { url: fakeUrl(path), body: "{{vars.who}}", retries: 0 }],
        ],
        [
          ["t", "set"],
          ["set", "call"],
        ],
      ),
    );
    const first = await call("POST", `/workflows/${workflowId}/execute`, {});
    expect((await waitForExecution(first.data.executionId)).status).toBe("failed");
    expect((await call("POST", `/workflow-executions/${first.data.executionId}/cancel`)).status).toBe(409);
    // No reset of the fake: other files use it at the same time. The one 500 is spent.
    await fake.script({ method: "POST", path, status: 200, body: { ok: true } });
    const retry = await call("POST", `/workflow-executions/${first.data.executionId}/retry`);
    expect(retry.status).toBe(202);
    const done = await waitForExecution(retry.data.executionId);
    expect(done).toMatchObject({ status: "completed", retryOf: first.data.executionId });
    const trace = await call("GET", `/workflow-executions/${retry.data.executionId}`);
    // Resumed at the failed node: the nodes before it did not run again.
    expect(trace.data.nodes.map((n: { nodeId: string }) => n.nodeId)).toEqual(["call"]);
    // The failed call, then the retry's, with the variable it had at the failed node.
    expect((await fake.requests(path)).map((r) => r.raw)).toEqual(["Pingu", "Pingu"]);
    expect((await call("POST", `/workflow-executions/${retry.data.executionId}/retry`)).status).toBe(409);
  });

  it("cancels a running execution (a long delay), and it stays cancelled", async () => {
    const { call, workflowId } = await published(
      graph(
        [
          ["t", "trigger_webhook"],
          ["wait", "action_delay", { seconds: 3600 }],
        ],
        [["t", "wait"]],
      ),
    );
    // This run must really sleep: a fresh introspector without disableSleeps for it.
    await introspector[Symbol.asyncDispose]();
    const started = await call("POST", `/workflows/${workflowId}/execute`, {});
    const until = Date.now() + 5000;
    while (
      Date.now() < until &&
      (await call("GET", `/workflow-executions/${started.data.executionId}`)).data.status !== "running"
    ) {
      await new Promise((r) => setTimeout(r, 50));
    }
    const cancelled = await call("POST", `/workflow-executions/${started.data.executionId}/cancel`);
    expect(cancelled.status).toBe(200);
    expect(cancelled.data.status).toBe("cancelled");
    introspector = await introspectWorkflow(env.WORKFLOW_RUNNER);
  });
});

describe("triggers routed by the router", () => {
  it("a published trigger command starts a run (and answers nothing itself); a simulated event never does", async () => {
    const { community, call, workflowId } = await published(
      graph(
        [
          ["t", "trigger_command", { command: "wave" }],
          ["n", "flow_noop"],
        ],
        [["t", "n"]],
      ),
    );
    // A try in the simulator first: it must not start a run (a run acts for real).
    expect((await call("POST", "/simulate", { text: "!wave sim" })).status).toBe(200);
    const outcome = await send(chat({ id: community.id, platformIds: await platformIds(community) }, "!wave hi"));
    expect(outcome).toMatchObject({ status: "processed", replies: [] });
    const until = Date.now() + 5000;
    let runs: { trigger: string; input: { args: string[] } }[] = [];
    while (Date.now() < until && runs.length === 0)
      runs = (await call("GET", `/workflow-executions?workflowId=${workflowId}`)).data;
    expect(runs[0]).toMatchObject({ trigger: "command", input: { args: ["hi"] } });
    // The simulated one, sent before, would be here by now: only the real one is.
    expect(runs).toHaveLength(1);
  });

  it("an event trigger (follow) starts a run for the event", async () => {
    const { community, call, workflowId } = await published(
      graph(
        [
          ["t", "trigger_event", { event: "follow" }],
          ["n", "flow_noop"],
        ],
        [["t", "n"]],
      ),
    );
    await send(
      chat(
        { id: community.id, platformIds: await platformIds(community) },
        "",
        {},
        { type: "follow", text: undefined },
      ),
    );
    const until = Date.now() + 5000;
    let runs: { trigger: string }[] = [];
    while (Date.now() < until && runs.length === 0)
      runs = (await call("GET", `/workflow-executions?workflowId=${workflowId}`)).data;
    expect(runs[0]).toMatchObject({ trigger: "event" });
  });
});

async function platformIds(c: { id: string; platformIds: Record<string, string> }) {
  return c.platformIds as Record<"discord" | "twitch" | "slack", string>;
}
