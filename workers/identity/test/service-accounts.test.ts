import { describe, expect, it } from "vitest";
import { createCommunity, createUserWithKey } from "../../../test/workerd/fixtures.ts";
import { call } from "../../../test/workerd/self.ts";
import { identityRpc as rpc } from "./helpers.ts";

const base = { cookie: null, method: "GET", origin: null, csrfToken: null, ip: null, requestId: null };

async function makeService(role: "trigger" | "action" | "core") {
  const admin = await createUserWithKey({ globalRole: "admin" });
  const res = await call("/api/v1/service-accounts", {
    method: "POST",
    headers: { authorization: admin.authorization, "content-type": "application/json" },
    body: JSON.stringify({ name: `svc-${role}`, role }),
  });
  expect(res.status).toBe(201);
  const { data } = await res.json<{ data: { account: { userId: string; role: string }; key: string } }>();
  const principal = await rpc.authenticate({ ...base, authorization: `Bearer ${data.key}` });
  return { admin, data, principal: principal! };
}

describe("service roles for machine callers (trigger, action, core)", () => {
  it("a service account's key authenticates with its service role", async () => {
    const { principal, data } = await makeService("core");
    expect(principal).toMatchObject({ userId: data.account.userId, via: "api_key", serviceRole: "core" });
  });

  it("core may do everything in any community; action only read; trigger nothing on the admin API", async () => {
    const community = await createCommunity();
    const core = await makeService("core");
    const action = await makeService("action");
    const trigger = await makeService("trigger");
    expect(await rpc.authorize(core.principal, community.id, "commands:write")).toBe(true);
    expect(await rpc.authorize(action.principal, community.id, "commands:read")).toBe(true);
    expect(await rpc.authorize(action.principal, community.id, "commands:write")).toBe(false);
    expect(await rpc.authorize(trigger.principal, community.id, "commands:read")).toBe(false);
  });

  it("only global admins manage service accounts", async () => {
    const c = await createCommunity();
    const owner = await createUserWithKey({ communityId: c.id, role: "owner" });
    const res = await call("/api/v1/service-accounts", {
      method: "POST",
      headers: { authorization: owner.authorization, "content-type": "application/json" },
      body: JSON.stringify({ name: "sneaky", role: "core" }),
    });
    expect(res.status).toBe(403);
    const core = await makeService("core");
    const bySvc = await call("/api/v1/service-accounts", {
      headers: { authorization: `Bearer ${core.data.key}` },
    });
    expect(bySvc.status).toBe(403);
  });

  it("disabling a service account kills its keys", async () => {
    const { admin, data } = await makeService("action");
    const res = await call(`/api/v1/service-accounts/${data.account.userId}`, {
      method: "DELETE",
      headers: { authorization: admin.authorization },
    });
    expect(res.status).toBe(200);
    expect(await rpc.authenticate({ ...base, authorization: `Bearer ${data.key}` })).toBeNull();
  });

  it("refuses an unknown role with 400", async () => {
    const admin = await createUserWithKey({ globalRole: "admin" });
    const res = await call("/api/v1/service-accounts", {
      method: "POST",
      headers: { authorization: admin.authorization, "content-type": "application/json" },
      body: JSON.stringify({ name: "x", role: "overlord" }),
    });
    expect(res.status).toBe(400);
  });
});
