import { introspectWorkflow } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCommunity } from "../../../../test/workerd/fixtures.ts";
import { getGlobal } from "../../src/workflows/records.ts";
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

describe("data nodes", () => {
  it("sets, gets (with a default), pushes and merges workflow variables", async () => {
    const c = await createCommunity();
    const r = await run(
      c.id,
      graph(
        [
          ["t", "trigger_webhook"],
          ["set", "data_variable_set", { name: "who", value: "{{trigger.name}}" }],
          ["get", "data_variable_get", { name: "missing", default: 7, output: "seven" }],
          ["list", "data_variable_set", { name: "list", value: [] }],
          ["push", "data_array_push", { array: "list", value: "{{vars.who}}" }],
          ["push2", "data_array_push", { array: "list", value: "{{vars.seven}}" }],
          ["obj", "data_variable_set", { name: "obj", value: { a: 1 } }],
          ["merge", "data_object_merge", { target: "obj", value: { b: "{{vars.who}}" } }],
        ],
        [
          ["t", "set"],
          ["set", "get"],
          ["get", "list"],
          ["list", "push"],
          ["push", "push2"],
          ["push2", "obj"],
          ["obj", "merge"],
        ],
      ),
      manual({ name: "Pingu" }),
    );
    expect(r.execution.status).toBe("completed");
    expect(await r.out("get")).toBe(7);
    expect(await r.out("push2")).toEqual(["Pingu", 7]);
    expect(await r.out("merge")).toEqual({ a: 1, b: "Pingu" });
  });

  it("transforms with jsonata, and stops a runaway (tail-recursive) expression by its evaluation cap", async () => {
    const c = await createCommunity();
    const ok = await run(
      c.id,
      graph(
        [
          ["t", "trigger_webhook"],
          ["x", "data_transform", { expression: "$sum(trigger.items.price) * 2", output: "total" }],
        ],
        [["t", "x"]],
      ),
      manual({ items: [{ price: 2 }, { price: 3 }] }),
    );
    expect(ok.execution.status).toBe("completed");
    expect(await ok.out("x")).toBe(10);

    const runaway = await run(
      c.id,
      graph(
        [
          ["t", "trigger_webhook"],
          ["x", "data_transform", { expression: "($f := function($n){ $f($n + 1) }; $f(0))", output: "never" }],
        ],
        [["t", "x"]],
      ),
    );
    expect(runaway.execution.status).toBe("failed");
    expect(runaway.execution.error).toContain("x:");
    const failed = runaway.nodes.find((n) => n.nodeId === "x");
    expect(failed?.status).toBe("failed");
    expect(failed?.error).toMatch(/expression failed/);
  });

  it("keeps global variables per community in D1, across runs", async () => {
    const c = await createCommunity();
    const g = graph(
      [
        ["t", "trigger_webhook"],
        ["get", "data_variable_get", { name: "count", scope: "global", default: 0, output: "count" }],
        ["inc", "data_transform", { expression: "vars.count + 1", output: "count", scope: "global" }],
      ],
      [
        ["t", "get"],
        ["get", "inc"],
      ],
    );
    await run(c.id, g);
    const second = await run(c.id, g);
    expect(second.execution.status).toBe("completed");
    expect(await getGlobal(env.DB, c.id, "count")).toBe(2);
    const other = await createCommunity();
    expect(await getGlobal(env.DB, other.id, "count")).toBeUndefined();
  });
});
