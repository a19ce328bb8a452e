import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { d1Runner, rotateSecrets } from "../../../../lib/crypto/rotate.ts";
import { isSealed } from "../../../../lib/crypto/secret-box.ts";
import { createCommunity, createUserWithKey } from "../../../../test/workerd/fixtures.ts";
import { openHeaders, SECRET_MASK } from "../../src/workflows/graph-secrets.ts";
import { startPublished } from "../../src/workflows/start.ts";
import { api, fake, fakeUrl } from "../support/router.ts";
import { graph, publishedWorkflow, waitForExecution } from "./support.ts";

/** A community with an admin and a moderator, and a webhook path of its own on the fake server. */
async function setup() {
  const community = await createCommunity();
  const admin = await createUserWithKey({ communityId: community.id, role: "admin" });
  const moderator = await createUserWithKey({ communityId: community.id, role: "moderator" });
  const base = `/api/v1/communities/${community.id}`;
  const path = `/wf-secret/${crypto.randomUUID()}`;
  const token = `Bearer tok-${crypto.randomUUID()}`;
  await fake.script({ method: "POST", path, status: 200, body: { ok: true } });
  return {
    community,
    path,
    token,
    // biome-ignore lint/suspicious/noExplicitAny: answers are read loosely in these tests
    as: <T = any>(who: { authorization: string }, m: string, p: string, body?: unknown) =>
      api<T>(m, `${base}${p}`, who.authorization, body),
    admin,
    moderator,
  };
}

const hookGraph = (url: string, headers: Record<string, string>) =>
  graph(
    [
      ["t", "trigger_webhook"],
      ["call", "action_webhook", { url, headers, retries: 0 }],
    ],
    [["t", "call"]],
  );

const storedGraph = async (table: "workflows" | "workflow_versions", column: "id" | "workflow_id", id: string) =>
  (await env.DB.prepare(`SELECT graph FROM ${table} WHERE ${column} = ?`).bind(id).first<{ graph: string }>())!.graph;
const headersIn = (g: string) =>
  (JSON.parse(g) as { nodes: { id: string; config: { headers?: Record<string, string> } }[] }).nodes.find(
    (n) => n.id === "call",
  )!.config.headers!;

describe("action_webhook header values are sealed at rest", () => {
  it("stores them sealed in the draft and the snapshot, shows moderators a mask, and a run still sends them", async () => {
    const s = await setup();
    const apiKey = `k-${crypto.randomUUID()}`;
    const created = await s.as(s.admin, "POST", "/workflows", {
      name: "Sealed",
      graph: hookGraph(fakeUrl(s.path), { authorization: s.token, "x-api-key": apiKey }),
    });
    expect(created.status, created.message).toBe(201);
    const id = created.data.id as string;
    expect(JSON.stringify(created.data)).not.toContain(s.token);

    const draft = await storedGraph("workflows", "id", id);
    expect(draft).not.toContain(s.token);
    expect(draft).not.toContain(apiKey);
    expect(Object.values(headersIn(draft)).every(isSealed)).toBe(true);

    for (const read of [
      await s.as(s.moderator, "GET", `/workflows/${id}`),
      await s.as(s.moderator, "GET", "/workflows"),
    ]) {
      expect(read.status).toBe(200);
      expect(JSON.stringify(read.data)).not.toContain(s.token);
      expect(JSON.stringify(read.data)).not.toContain("v1.");
    }
    const one = await s.as(s.moderator, "GET", `/workflows/${id}`);
    expect(one.data.graph.nodes[1].config.headers).toEqual({ authorization: SECRET_MASK, "x-api-key": SECRET_MASK });

    expect((await s.as(s.admin, "POST", `/workflows/${id}/publish`)).status).toBe(200);
    const snapshot = await storedGraph("workflow_versions", "workflow_id", id);
    expect(snapshot).not.toContain(s.token);
    expect(headersIn(snapshot)).toEqual(headersIn(draft));

    const started = await s.as(s.admin, "POST", `/workflows/${id}/execute`, { data: {} });
    expect(started.status).toBe(202);
    expect((await waitForExecution(started.data.executionId)).status).toBe("completed");
    const [sent] = await fake.requests(s.path);
    expect(sent!.headers).toMatchObject({ authorization: s.token, "x-api-key": apiKey });
  });

  it("a save that sends the mask keeps the stored value, a typed value replaces it, a mask with nothing behind it is refused", async () => {
    const s = await setup();
    const created = await s.as(s.admin, "POST", "/workflows", {
      name: "Keep",
      graph: hookGraph(fakeUrl(s.path), { authorization: s.token, "x-old": "old" }),
    });
    const id = created.data.id as string;
    const before = headersIn(await storedGraph("workflows", "id", id));

    // What the portal sends back: the graph as read (masks), one value typed anew.
    const read = (await s.as(s.admin, "GET", `/workflows/${id}`)).data.graph;
    read.nodes[1].config.headers["x-old"] = "new";
    expect((await s.as(s.admin, "PATCH", `/workflows/${id}`, { graph: read })).status).toBe(200);
    const after = headersIn(await storedGraph("workflows", "id", id));
    expect(after.authorization).toBe(before.authorization);
    expect(after["x-old"]).not.toBe(before["x-old"]);
    expect(await openHeaders(env, id, "call", after)).toEqual({ authorization: s.token, "x-old": "new" });

    // A mask for a header that has no stored value, an over-long value: 400, the draft as it was.
    const stored = await storedGraph("workflows", "id", id);
    for (const headers of <Record<string, string>[]>[
      { authorization: SECRET_MASK, "x-new": SECRET_MASK },
      { authorization: "x".repeat(2001) },
    ]) {
      const bad = await s.as(s.admin, "PATCH", `/workflows/${id}`, { graph: hookGraph(fakeUrl(s.path), headers) });
      expect(bad.status, JSON.stringify(headers).slice(0, 60)).toBe(400);
      expect(bad.message).toMatch(/Node call: header (x-new|authorization)/);
    }
    expect(await storedGraph("workflows", "id", id)).toBe(stored);
    // A new workflow has nothing to keep: a mask there (copied from another) is refused on create.
    const other = await setup();
    const copied = await other.as(other.admin, "POST", "/workflows", {
      name: "Copy",
      graph: hookGraph(fakeUrl(s.path), { authorization: SECRET_MASK }),
    });
    expect(copied.status).toBe(400);
    const count = await env.DB.prepare("SELECT count(*) AS n FROM workflows WHERE community_id = ?")
      .bind(other.community.id)
      .first<{ n: number }>();
    expect(count?.n).toBe(0);
  });

  it("rows stored in clear before sealing are sealed by the rotation (the data migration) and still run", async () => {
    const s = await setup();
    const id = await publishedWorkflow(s.community.id, hookGraph(fakeUrl(s.path), { authorization: s.token }));
    expect(await storedGraph("workflows", "id", id)).toContain(s.token);
    const report = await rotateSecrets(env, d1Runner(env.DB));
    expect(report.sealedFromClear).toBeGreaterThanOrEqual(2);
    for (const [table, column] of [
      ["workflows", "id"],
      ["workflow_versions", "workflow_id"],
    ] as const) {
      const g = await storedGraph(table, column, id);
      expect(g).not.toContain(s.token);
      expect(isSealed(headersIn(g).authorization)).toBe(true);
    }
    expect((await rotateSecrets(env, d1Runner(env.DB))).sealedFromClear).toBe(0);
    const started = await startPublished(env, s.community.id, id, { kind: "manual", data: {} });
    expect((await waitForExecution(started!.executionId)).status).toBe("completed");
    expect((await fake.requests(s.path))[0]!.headers.authorization).toBe(s.token);
  });
});
