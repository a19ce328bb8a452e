import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createDb } from "../../../lib/db/client.ts";
import { entityLabels } from "../../../lib/db/schema/index.ts";
import { createUserWithKey } from "../../../test/workerd/fixtures.ts";
import { addMember, labelCount, labelsSetup, storedLabels, userLabels } from "./support/labels.ts";
import { api, installModule } from "./support/router.ts";

type Label = { id: string; name: string; color: string; users: number };

describe("labels", () => {
  it("creates a label with its colour and description, and lists it with its user count", async () => {
    const { call, community } = await labelsSetup();
    const made = await call<Label>("POST", "/labels", {
      name: "  Early   Bird ",
      color: "#FFAA00",
      description: "joined first",
    });
    expect(made.status).toBe(201);
    expect(made.data).toMatchObject({ name: "Early Bird", color: "#ffaa00", users: 0 });
    const userId = await addMember(community.id);
    expect((await call("POST", `/members/${userId}/labels`, { label: "early bird" })).status).toBe(200);
    const list = await call<Label[]>("GET", "/labels");
    expect(list.data.map((l) => [l.name, l.users])).toEqual([["Early Bird", 1]]);
  });

  it("refuses a name that differs only in case or spacing with 409 and keeps one label", async () => {
    const { call, community } = await labelsSetup();
    expect((await call("POST", "/labels", { name: "VIP" })).status).toBe(201);
    for (const name of ["vip", " VIP ", "Vip"]) {
      const res = await call("POST", "/labels", { name });
      expect(res.status, name).toBe(409);
      expect(res.message).toMatch(/already exists/);
    }
    expect(await labelCount(community.id)).toBe(1);
  });

  it("refuses a rename onto another label's name with 409 and leaves both as they were", async () => {
    const { call } = await labelsSetup();
    await call("POST", "/labels", { name: "Regular" });
    const other = await call<Label>("POST", "/labels", { name: "Lurker" });
    const res = await call("PATCH", `/labels/${other.data.id}`, { name: " REGULAR" });
    expect(res.status).toBe(409);
    expect((await call<Label[]>("GET", "/labels")).data.map((l) => l.name)).toEqual(["Lurker", "Regular"]);
    expect((await call("PATCH", `/labels/${other.data.id}`, { color: "nope" })).status).toBe(400);
    expect((await call<Label>("PATCH", `/labels/${other.data.id}`, { color: "#000000" })).data.name).toBe("Lurker");
  });

  it("refuses a sixth label on a member with 409 naming the limit, and the member keeps five", async () => {
    const { call, community } = await labelsSetup();
    const userId = await addMember(community.id);
    for (let i = 0; i < 6; i++) await call("POST", "/labels", { name: `l${i}` });
    for (let i = 0; i < 5; i++)
      expect((await call("POST", `/members/${userId}/labels`, { label: `l${i}` })).status).toBe(200);
    const sixth = await call("POST", `/members/${userId}/labels`, { label: "l5" });
    expect(sixth.status).toBe(409);
    expect(sixth.message).toMatch(/at most 5 labels/);
    expect(sixth.data).toEqual({ limit: 5 });
    expect(await userLabels(community.id, userId)).toEqual(["l0", "l1", "l2", "l3", "l4"]);
    // Adding one it already has is not a sixth.
    expect((await call("POST", `/members/${userId}/labels`, { label: "L0" })).status).toBe(200);
  });

  it("holds the limit under parallel adds: of eight at once, five succeed and three get 409", async () => {
    const { call, community } = await labelsSetup();
    const userId = await addMember(community.id);
    for (let i = 0; i < 8; i++) await call("POST", "/labels", { name: `p${i}` });
    const answers = await Promise.all(
      Array.from({ length: 8 }, (_, i) => call("POST", `/members/${userId}/labels`, { label: `p${i}` })),
    );
    expect(answers.map((a) => a.status).sort()).toEqual([200, 200, 200, 200, 200, 409, 409, 409]);
    expect(await userLabels(community.id, userId)).toHaveLength(5);
  });

  it("refuses six labels on the community itself with 409, and an unknown one with 400", async () => {
    const { call, community } = await labelsSetup();
    for (let i = 0; i < 6; i++) await call("POST", "/labels", { name: `c${i}` });
    expect((await call("PUT", "/labels/community", { labels: ["c0", "c1"] })).status).toBe(200);
    const six = await call("PUT", "/labels/community", { labels: ["c0", "c1", "c2", "c3", "c4", "c5"] });
    expect(six.status).toBe(409);
    expect(six.data).toEqual({ limit: 5 });
    const unknown = await call("PUT", "/labels/community", { labels: ["c0", "nope"] });
    expect(unknown.status).toBe(400);
    expect(await storedLabels(community.id)).toEqual([`community:${community.id}:c0`, `community:${community.id}:c1`]);
  });

  it("answers 404 for a user who is not a member and 400 for an unknown label; nothing is stored", async () => {
    const { call, community } = await labelsSetup();
    await call("POST", "/labels", { name: "a" });
    const stranger = (await createUserWithKey({})).userId;
    expect((await call("POST", `/members/${stranger}/labels`, { label: "a" })).status).toBe(404);
    const member = await addMember(community.id);
    expect((await call("POST", `/members/${member}/labels`, { label: "b" })).status).toBe(400);
    expect(await storedLabels(community.id)).toEqual([]);
  });

  it("lets a moderator read but not write, and a plain member neither (403)", async () => {
    const { community, base, call } = await labelsSetup();
    await call("POST", "/labels", { name: "seen" });
    const mod = await createUserWithKey({ communityId: community.id, role: "moderator" });
    const member = await createUserWithKey({ communityId: community.id, role: "member" });
    expect((await api("GET", `${base}/labels`, mod.authorization)).status).toBe(200);
    expect((await api("POST", `${base}/labels`, mod.authorization, { name: "mine" })).status).toBe(403);
    const bulk = { operations: [{ op: "add", userId: member.userId, label: "seen" }] };
    expect((await api("POST", `${base}/labels/bulk`, mod.authorization, bulk)).status).toBe(403);
    expect(
      (
        await api("POST", `${base}/entity-groups`, mod.authorization, {
          label: "seen",
          platform: "twitch",
          roleId: "vip",
        })
      ).status,
    ).toBe(403);
    expect((await api("GET", `${base}/labels`, member.authorization)).status).toBe(403);
    expect(await labelCount(community.id)).toBe(1);
    expect(await storedLabels(community.id)).toEqual([]);
  });

  it("deleting a label takes it off every member", async () => {
    const { call, community } = await labelsSetup();
    const label = await call<Label>("POST", "/labels", { name: "gone" });
    const userId = await addMember(community.id);
    await call("POST", `/members/${userId}/labels`, { label: "gone" });
    expect((await call("DELETE", `/labels/${label.data.id}`)).status).toBe(200);
    expect(await storedLabels(community.id)).toEqual([]);
    expect((await call("DELETE", `/labels/${label.data.id}`)).status).toBe(404);
  });

  it("takes a label off a member, and labels a module in this community", async () => {
    const { call, community } = await labelsSetup();
    const label = await call<Label>("POST", "/labels", { name: "x" });
    const userId = await addMember(community.id);
    await call("POST", `/members/${userId}/labels`, { label: label.data.id });
    const off = await call<{ labels: Label[] }>("DELETE", `/members/${userId}/labels/${label.data.id}`);
    expect(off.status).toBe(200);
    expect(off.data.labels).toEqual([]);
    expect((await call("PUT", "/labels/modules/no-such-module", { labels: ["X"] })).status).toBe(404);
    const mod = await installModule(community.id, {
      engine: "builtin",
      config: { handler: "trivia" },
      commands: ["!trivia"],
    });
    expect((await call("PUT", `/labels/modules/${mod.id}`, { labels: ["X"] })).status).toBe(200);
    expect(await storedLabels(community.id)).toEqual([`module:${mod.id}:x`]);
    // Direct D1 check that nothing else was written for the user.
    const rows = await createDb(env.DB).select().from(entityLabels);
    expect(rows.filter((r) => r.entityId === userId)).toEqual([]);
  });

  it("audits a member's label change with the caller and the request, in the change's batch; a no-op has no row", async () => {
    const { community } = await labelsSetup();
    const admin = await createUserWithKey({ communityId: community.id, role: "admin" });
    const base = `/api/v1/communities/${community.id}`;
    const call = (m: string, p: string, body?: unknown) => api(m, `${base}${p}`, admin.authorization, body);
    const label = (await call("POST", "/labels", { name: "Audited" })) as { data: Label };
    const userId = await addMember(community.id);
    const added = await call("POST", `/members/${userId}/labels`, { label: "audited" });
    await call("POST", `/members/${userId}/labels`, { label: "audited" });
    const removed = await call("DELETE", `/members/${userId}/labels/${label.data.id}`);
    await call("DELETE", `/members/${userId}/labels/${label.data.id}`);
    const { results } = await env.DB.prepare(
      `SELECT action, actor_type, actor_id, target_type, target_id, outcome, details, request_id FROM audit_log
       WHERE community_id = ? AND action LIKE 'labels.%_user' ORDER BY occurred_at, rowid`,
    )
      .bind(community.id)
      .all();
    const row = (action: string, res: { headers: Headers }) => ({
      action,
      actor_type: "api_key",
      actor_id: admin.userId,
      target_type: "user",
      target_id: userId,
      outcome: "success",
      details: JSON.stringify({ label: "Audited" }),
      request_id: res.headers.get("x-request-id"),
    });
    expect(results).toEqual([row("labels.add_user", added), row("labels.remove_user", removed)]);
    expect(added.headers.get("x-request-id")).toBeTruthy();
  });
});
