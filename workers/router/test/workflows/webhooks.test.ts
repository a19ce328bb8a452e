import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { hmacSha256Hex } from "../../../../lib/crypto/hmac.ts";
import { SEALED_COLUMNS } from "../../../../lib/crypto/sealed-columns.ts";
import { isSealed } from "../../../../lib/crypto/secret-box.ts";
import { createDb } from "../../../../lib/db/client.ts";
import { workflowExecutions, workflowWebhooks } from "../../../../lib/db/schema/index.ts";
import { createCommunity, createUserWithKey } from "../../../../test/workerd/fixtures.ts";
import { call } from "../../../../test/workerd/self.ts";
import { api } from "../support/router.ts";
import { graph, waitForExecution } from "./support.ts";

async function hookFor(input: Record<string, unknown> = {}) {
  const community = await createCommunity();
  const admin = await createUserWithKey({ communityId: community.id, role: "admin" });
  const base = `/api/v1/communities/${community.id}/workflows`;
  const g = graph(
    [
      ["t", "trigger_webhook"],
      ["keep", "data_variable_set", { name: "got", value: "{{trigger.body.value}}" }],
    ],
    [["t", "keep"]],
  );
  const wf = await api<{ id: string }>("POST", base, admin.authorization, { name: "hook", graph: g });
  await api("POST", `${base}/${wf.data.id}/publish`, admin.authorization);
  const made = await api<{ id: string; token: string; secret: string; url: string }>(
    "POST",
    `${base}/${wf.data.id}/webhooks`,
    admin.authorization,
    input,
  );
  return { community, admin, base, workflowId: wf.data.id, hook: made.data, status: made.status };
}

async function post(
  token: string,
  secret: string,
  body: string,
  over: { ts?: string; sig?: string; ip?: string } = {},
) {
  const ts = over.ts ?? String(Math.floor(Date.now() / 1000));
  const sig = over.sig ?? `sha256=${await hmacSha256Hex(secret, `${ts}.${body}`)}`;
  return call(`/workflows/webhooks/${token}`, {
    method: "POST",
    body,
    headers: {
      "content-type": "application/json",
      "x-waddlebot-timestamp": ts,
      "x-waddlebot-signature": sig,
      ...(over.ip ? { "cf-connecting-ip": over.ip } : {}),
    },
  });
}

const executionsOf = (workflowId: string) =>
  createDb(env.DB).select().from(workflowExecutions).where(eq(workflowExecutions.workflowId, workflowId));

describe("workflow webhooks", () => {
  it("gives a 32-hex token and a secret stored sealed; a signed call starts a run and is counted", async () => {
    const { hook, status, workflowId, base, admin } = await hookFor();
    expect(status).toBe(201);
    expect(hook.token).toMatch(/^[0-9a-f]{32}$/);
    expect(hook.url).toMatch(new RegExp(`/workflows/webhooks/${hook.token}$`));
    const row = await createDb(env.DB).select().from(workflowWebhooks).where(eq(workflowWebhooks.id, hook.id)).get();
    expect(isSealed(row!.secret)).toBe(true);
    expect(row!.secret).not.toContain(hook.secret);
    expect(SEALED_COLUMNS).toContainEqual({ table: "workflow_webhooks", column: "secret", idColumn: "id" });

    const res = await post(hook.token, hook.secret, JSON.stringify({ value: 42 }));
    expect(res.status).toBe(202);
    const { data } = (await res.json()) as { data: { executionId: string } };
    const execution = await waitForExecution(data.executionId);
    expect(execution).toMatchObject({ status: "completed", trigger: "webhook" });
    const list = await api<{ triggerCount: number; lastTriggeredAt: string | null }[]>(
      "GET",
      `${base}/${workflowId}/webhooks`,
      admin.authorization,
    );
    expect(list.data[0]).toMatchObject({ triggerCount: 1, lastTriggeredAt: expect.any(String) });
    expect(JSON.stringify(list.data)).not.toContain(hook.secret);
  });

  it("refuses a bad signature, another secret's signature, a stale or missing timestamp: 401, no run", async () => {
    const { hook, workflowId } = await hookFor();
    const body = JSON.stringify({ value: 1 });
    const old = String(Math.floor(Date.now() / 1000) - 301);
    const answers = [
      await post(hook.token, hook.secret, body, { sig: "sha256=00" }),
      await post(hook.token, "whsec_another", body),
      await post(hook.token, hook.secret, body, { ts: old }),
      await post(hook.token, hook.secret, body, { ts: "soon" }),
    ];
    expect(answers.map((r) => r.status)).toEqual([401, 401, 401, 401]);
    // The body signed is the body sent: changing one byte after signing fails too.
    const ts = String(Math.floor(Date.now() / 1000));
    const sig = `sha256=${await hmacSha256Hex(hook.secret, `${ts}.${body}`)}`;
    expect((await post(hook.token, hook.secret, body.replace("1", "2"), { ts, sig })).status).toBe(401);
    expect(await executionsOf(workflowId)).toEqual([]);
  });

  it("answers 404 for an unknown or malformed token", async () => {
    const { hook } = await hookFor();
    expect((await post("0".repeat(32), hook.secret, "{}")).status).toBe(404);
    expect((await post("not-a-token", hook.secret, "{}")).status).toBe(404);
  });

  it("enforces the IP/CIDR allow-list from CF-Connecting-IP (403 outside it or without it)", async () => {
    const { hook, workflowId } = await hookFor({ allowedIps: ["203.0.113.0/24", "2001:db8::1"] });
    expect((await post(hook.token, hook.secret, "{}", { ip: "198.51.100.7" })).status).toBe(403);
    expect((await post(hook.token, hook.secret, "{}")).status).toBe(403);
    expect((await post(hook.token, hook.secret, "{}", { ip: "203.0.113.9" })).status).toBe(202);
    expect((await post(hook.token, hook.secret, "{}", { ip: "2001:db8::1" })).status).toBe(202);
    expect(await executionsOf(workflowId)).toHaveLength(2);
  });

  it("refuses an allow-list entry that is not an address or range (400), storing nothing", async () => {
    const community = await createCommunity();
    const admin = await createUserWithKey({ communityId: community.id, role: "admin" });
    const base = `/api/v1/communities/${community.id}/workflows`;
    const wf = await api<{ id: string }>("POST", base, admin.authorization, { name: "x" });
    const res = await api("POST", `${base}/${wf.data.id}/webhooks`, admin.authorization, {
      allowedIps: ["10.0.0.0/99"],
    });
    expect(res.status).toBe(400);
    expect(
      await createDb(env.DB).select().from(workflowWebhooks).where(eq(workflowWebhooks.workflowId, wf.data.id)),
    ).toEqual([]);
  });

  it("rate-limits per webhook (429 with Retry-After past its per-minute limit)", async () => {
    const { hook, workflowId } = await hookFor({ ratePerMinute: 2 });
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await post(hook.token, hook.secret, "{}")).status);
    expect(statuses).toEqual([202, 202, 429]);
    const limited = await post(hook.token, hook.secret, "{}");
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await executionsOf(workflowId)).toHaveLength(2);
  });
});
