import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { createDb } from "../../../../lib/db/client.ts";
import { auditLog, workflows, workflowVersions } from "../../../../lib/db/schema/index.ts";
import { createCommunity, createUserWithKey } from "../../../../test/workerd/fixtures.ts";
import { api } from "../support/router.ts";
import { inDays, signLicence } from "./licence-support.ts";
import { graph } from "./support.ts";

async function setup() {
  const community = await createCommunity();
  const admin = await createUserWithKey({ communityId: community.id, role: "admin" });
  const base = `/api/v1/communities/${community.id}`;
  return {
    community,
    admin,
    base,
    // biome-ignore lint/suspicious/noExplicitAny: answers are read loosely in these tests
    call: <T = any>(m: string, p: string, body?: unknown) => api<T>(m, `${base}${p}`, admin.authorization, body),
  };
}

const hello = graph(
  [
    ["t", "trigger_command", { command: "hello" }],
    ["say", "action_chat_message", { message: "hi" }],
  ],
  [["t", "say"]],
);

describe("workflows API", () => {
  it("creates a draft, saves its graph, publishes version 1, and audits each change", async () => {
    const { call, community } = await setup();
    const created = await call("POST", "/workflows", { name: "Hello" });
    expect(created.status).toBe(201);
    const id = created.data.id;
    expect((await call("PATCH", `/workflows/${id}`, { graph: hello })).status).toBe(200);
    const published = await call("POST", `/workflows/${id}/publish`);
    expect(published.status).toBe(200);
    expect(published.data).toMatchObject({ status: "published", version: 1, triggerCommand: "hello" });
    const actions = (await createDb(env.DB).select().from(auditLog).where(eq(auditLog.communityId, community.id))).map(
      (a) => a.action,
    );
    expect(actions).toEqual(expect.arrayContaining(["workflow.create", "workflow.update", "workflow.publish"]));
  });

  it("validation names the node of every problem, and a failed publish changes nothing", async () => {
    const { call } = await setup();
    const bad = graph(
      [
        ["t1", "trigger_command", { command: "a" }],
        ["t2", "trigger_webhook", {}],
        ["if", "condition_if", { conditions: [] }],
        ["get", "data_variable_get", { name: "nope", output: "x" }],
        ["mod", "action_module", { moduleId: crypto.randomUUID() }],
        ["a", "flow_noop", {}],
        ["b", "flow_noop", {}],
        ["w", "action_webhook", { url: "https://10.0.0.1/x" }],
      ],
      [
        ["t1", "if", "maybe"],
        ["a", "b"],
        ["b", "a"],
        ["if", "t2", "true"],
      ],
    );
    const res = await call("POST", "/workflows/validate", { graph: bad });
    expect(res.status).toBe(200);
    expect(res.data.valid).toBe(false);
    const about = (id: string) =>
      res.data.issues.filter((i: { nodeId?: string }) => i.nodeId === id).map((i: { message: string }) => i.message);
    expect(about("t2").join()).toMatch(/exactly one trigger|no input/);
    expect(about("if").join()).toMatch(/condition_if/);
    expect(about("t1").join()).toMatch(/no output port "maybe"/);
    expect(about("get").join()).toMatch(/Variable nope is never set/);
    expect(about("mod").join()).toMatch(/not installed/);
    expect([...about("a"), ...about("b")].join()).toMatch(/cycle/);
    expect(about("w").join()).toMatch(/URL refused/);

    const created = await call("POST", "/workflows", { name: "Bad", graph: bad });
    const publish = await call("POST", `/workflows/${created.data.id}/publish`);
    expect(publish.status).toBe(400);
    expect(publish.data.length).toBeGreaterThan(3);
    const row = await createDb(env.DB).select().from(workflows).where(eq(workflows.id, created.data.id)).get();
    expect(row).toMatchObject({ status: "draft", version: 0, triggerCommand: null });
    expect(
      await createDb(env.DB).select().from(workflowVersions).where(eq(workflowVersions.workflowId, created.data.id)),
    ).toEqual([]);
  });

  it("a loop may close a cycle: an edge back into loop_while is valid", async () => {
    const { call } = await setup();
    const g = graph(
      [
        ["t", "trigger_webhook"],
        ["n", "data_variable_set", { name: "n", value: 0 }],
        ["w", "loop_while", { conditions: [{ left: "{{vars.n}}", op: "lt", right: "3" }] }],
        ["inc", "data_transform", { expression: "vars.n + 1", output: "n" }],
      ],
      [
        ["t", "n"],
        ["n", "w"],
        ["w", "inc", "body"],
        ["inc", "w"],
      ],
    );
    expect((await call("POST", "/workflows/validate", { graph: g })).data).toEqual({ valid: true, issues: [] });
  });

  it("publishing a trigger command that already exists answers 409 (built-in, community command, other workflow)", async () => {
    const { call, community } = await setup();
    const withCommand = (command: string) =>
      graph(
        [
          ["t", "trigger_command", { command }],
          ["say", "action_chat_message", { message: "x" }],
        ],
        [["t", "say"]],
      );
    const licence = await signLicence({ communityId: community.id, tier: "pro", exp: inDays(30) });
    expect((await call("PUT", "/workflow-licence", { token: licence })).status).toBe(200);
    const first = await call("POST", "/workflows", { name: "one", graph: withCommand("ping") });
    expect((await call("POST", `/workflows/${first.data.id}/publish`)).status).toBe(409);
    expect((await call("POST", "/commands", { name: "mine", response: "hello" })).status).toBe(201);
    const second = await call("POST", "/workflows", { name: "two", graph: withCommand("mine") });
    expect((await call("POST", `/workflows/${second.data.id}/publish`)).status).toBe(409);
    const third = await call("POST", "/workflows", { name: "three", graph: withCommand("fresh") });
    expect((await call("POST", `/workflows/${third.data.id}/publish`)).status).toBe(200);
    const fourth = await call("POST", "/workflows", { name: "four", graph: withCommand("fresh") });
    const clash = await call("POST", `/workflows/${fourth.data.id}/publish`);
    expect(clash.status).toBe(409);
    expect(clash.message).toMatch(/another workflow/);
    // And the other way round: a command may not take a workflow's trigger.
    const taken = await call("POST", "/commands", { name: "fresh", response: "x" });
    expect(taken.status).toBe(409);
    expect(taken.message).toMatch(/workflow/);
  });

  it("a moderator reads workflows but may not create, publish or run one", async () => {
    const { community, call } = await setup();
    const created = await call("POST", "/workflows", { name: "x", graph: hello });
    const mod = await createUserWithKey({ communityId: community.id, role: "moderator" });
    const base = `/api/v1/communities/${community.id}/workflows`;
    expect((await api("GET", base, mod.authorization)).status).toBe(200);
    expect((await api("POST", base, mod.authorization, { name: "y" })).status).toBe(403);
    expect((await api("POST", `${base}/${created.data.id}/publish`, mod.authorization)).status).toBe(403);
    expect((await api("POST", `${base}/${created.data.id}/execute`, mod.authorization, {})).status).toBe(403);
  });

  it("lists templates and instantiates one in a single call", async () => {
    const { call, admin } = await setup();
    const templates = await api<{ id: string }[]>("GET", "/api/v1/workflow-templates", admin.authorization);
    expect(templates.data.map((t) => t.id)).toEqual(["welcome-followers", "timed-announcement", "giveaway"]);
    const made = await call("POST", "/workflows/from-template", { templateId: "welcome-followers" });
    expect(made.status).toBe(201);
    expect((await call("POST", `/workflows/${made.data[0].id}/publish`)).data).toMatchObject({
      triggerEvent: "follow",
    });
    expect((await call("POST", "/workflows/from-template", { templateId: "nope" })).status).toBe(404);
    const types = await api<{ type: string; configSchema: unknown }[]>(
      "GET",
      "/api/v1/workflow-node-types",
      admin.authorization,
    );
    expect(types.data).toHaveLength(22);
  });
});
