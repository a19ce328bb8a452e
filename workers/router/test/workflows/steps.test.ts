import { introspectWorkflowInstance } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createDb } from "../../../../lib/db/client.ts";
import { workflowExecutions } from "../../../../lib/db/schema/index.ts";
import { createCommunity } from "../../../../test/workerd/fixtures.ts";
import { stepNameOf } from "../../src/workflows/interpreter.ts";
import type { RunParams } from "../../src/workflows/types.ts";
import { graph, publishedWorkflow } from "./support.ts";

describe("one step per node (introspection)", () => {
  it("an action is a step.do whose cached result the rest of the run uses", async () => {
    const c = await createCommunity();
    const g = graph(
      [
        ["t", "trigger_webhook"],
        ["call", "action_webhook", { url: "https://api.waddlebot.test/never-called", retries: 0 }],
        ["keep", "data_variable_set", { name: "got", value: "{{nodes.call.body.ok}}" }],
      ],
      [
        ["t", "call"],
        ["call", "keep"],
      ],
    );
    const workflowId = await publishedWorkflow(c.id, g);
    const id = crypto.randomUUID();
    // The execution row startExecution would write (node rows reference it).
    await createDb(env.DB)
      .insert(workflowExecutions)
      .values({ id, workflowId, communityId: c.id, version: 1, instanceId: id, trigger: "manual" });
    await using instance = await introspectWorkflowInstance(env.WORKFLOW_RUNNER, id);
    // The step the interpreter names for `call` (reached by edge e0): answered without the network.
    await instance.modify(async (m) => {
      await m.mockStepResult(
        { name: stepNameOf({ id: "call", type: "action_webhook" }, "root>e0") },
        { output: { status: 200, body: { ok: "mocked" } }, ports: ["out"] },
      );
    });
    const params: RunParams = {
      executionId: id,
      communityId: c.id,
      workflowId,
      version: 1,
      graph: g,
      trigger: { kind: "manual", data: {} },
    };
    await env.WORKFLOW_RUNNER.create({ id, params });
    await instance.waitForStatus("complete");
    expect(
      await instance.waitForStepResult({ name: stepNameOf({ id: "keep", type: "data_variable_set" }, "root>e0>e1") }),
    ).toMatchObject({
      output: "mocked",
    });
    expect(await instance.getOutput()).toMatchObject({ vars: { got: "mocked" } });
  });

  it("a failing action step fails the instance, naming the node", async () => {
    const c = await createCommunity();
    const g = graph(
      [
        ["t", "trigger_webhook"],
        ["call", "action_webhook", { url: "https://api.waddlebot.test/x", retries: 0 }],
      ],
      [["t", "call"]],
    );
    const workflowId = await publishedWorkflow(c.id, g);
    const id = crypto.randomUUID();
    // The execution row startExecution would write (node rows reference it).
    await createDb(env.DB)
      .insert(workflowExecutions)
      .values({ id, workflowId, communityId: c.id, version: 1, instanceId: id, trigger: "manual" });
    await using instance = await introspectWorkflowInstance(env.WORKFLOW_RUNNER, id);
    await instance.modify(async (m) => {
      await m.mockStepError({ name: stepNameOf({ id: "call", type: "action_webhook" }, "root>e0") }, new Error("boom"));
    });
    await env.WORKFLOW_RUNNER.create({
      id,
      params: {
        executionId: id,
        communityId: c.id,
        workflowId,
        version: 1,
        graph: g,
        trigger: { kind: "manual", data: {} },
      },
    });
    await instance.waitForStatus("errored");
    expect((await instance.getError()).message).toMatch(/call: boom/);
  });
});
