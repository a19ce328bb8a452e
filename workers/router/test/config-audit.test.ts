import { env } from "cloudflare:workers";
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { createDb } from "../../../lib/db/client.ts";
import { auditLog } from "../../../lib/db/schema/index.ts";
import { createCommunity, createUserWithKey } from "../../../test/workerd/fixtures.ts";
import { api } from "./support/router.ts";

async function setup() {
  const community = await createCommunity();
  const admin = await createUserWithKey({ communityId: community.id, role: "owner" });
  const base = `/api/v1/communities/${community.id}`;
  const trail = async (action: string) =>
    createDb(env.DB)
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.communityId, community.id), eq(auditLog.action, action)));
  return {
    community,
    admin,
    base,
    trail,
    call: (m: string, p: string, b?: unknown) => api<{ id: string }>(m, `${base}${p}`, admin.authorization, b),
  };
}

describe("every configuration change is in the audit trail: who, what, from → to", () => {
  it("commands: create, change (only the changed fields) and delete, named as chat sees them", async () => {
    const { admin, trail, call } = await setup();
    const made = await call("POST", "/commands", { name: "hello", response: "hi" });
    await call("PATCH", `/commands/${made.data.id}`, { response: "hi there", userCooldownSec: 5 });
    await call("DELETE", `/commands/${made.data.id}`);
    const [created] = await trail("command.create");
    expect(created).toMatchObject({ actorId: admin.userId, targetType: "command", targetId: made.data.id });
    expect(created!.details).toMatchObject({ name: "!hello", to: { name: "hello", response: "hi" } });
    expect((created!.details as { actorName: string }).actorName).toMatch(/^User /);
    const [updated] = await trail("command.update");
    expect(updated!.details).toMatchObject({
      name: "!hello",
      from: { response: "hi", userCooldownSec: 0 },
      to: { response: "hi there", userCooldownSec: 5 },
    });
    expect(Object.keys((updated!.details as { to: object }).to).sort()).toEqual(["response", "userCooldownSec"]);
    expect((await trail("command.delete"))[0]!.details).toMatchObject({
      name: "!hello",
      from: { response: "hi there" },
    });
  });

  it("a refused change (400) and an edit that changes nothing record nothing", async () => {
    const { trail, call } = await setup();
    expect((await call("POST", "/commands", { name: "bad", response: "{nosuch}" })).status).toBe(400);
    expect(await trail("command.create")).toEqual([]);
    const made = await call("POST", "/commands", { name: "same", response: "x" });
    expect((await call("PATCH", `/commands/${made.data.id}`, { response: "x" })).status).toBe(200);
    expect(await trail("command.update")).toEqual([]);
    expect((await call("PUT", "/cooldowns", { userCommandLimit: 0 })).status).toBe(400);
    expect(await trail("cooldowns.update")).toEqual([]);
  });

  it("rules (the webhook secret never in clear), cooldowns and alert switches", async () => {
    const { trail, call } = await setup();
    const secret = "a-very-secret-value-1234";
    const rule = await call("POST", "/moderation/rules", {
      name: "hook",
      matchType: "contains",
      pattern: "x",
      action: "webhook",
      actionConfig: { url: "https://example.com/hook", secret },
    });
    await call("PATCH", `/moderation/rules/${rule.data.id}`, { priority: 5 });
    await call("DELETE", `/moderation/rules/${rule.data.id}`);
    const rules = [...(await trail("rule.create")), ...(await trail("rule.update")), ...(await trail("rule.delete"))];
    expect(rules).toHaveLength(3);
    expect(JSON.stringify(rules)).not.toContain(secret);
    expect(rules[1]!.details).toMatchObject({ name: "hook", from: { priority: 100 }, to: { priority: 5 } });
    await call("PUT", "/cooldowns", { userCommandLimit: 9 });
    expect((await trail("cooldowns.update"))[0]!.details).toMatchObject({ to: { userCommandLimit: 9 } });
    await call("PUT", "/overlays/alerts", { raid: true });
    expect((await trail("overlay.alerts_update"))[0]!.details).toMatchObject({
      from: { raid: false },
      to: { raid: true },
    });
  });
});
