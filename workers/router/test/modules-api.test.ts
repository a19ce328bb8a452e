import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createCommunity, createUserWithKey } from "../../../test/workerd/fixtures.ts";
import { json } from "./overlays-support.ts";

const webhookModule = (name: string) => ({
  name,
  engine: "webhook",
  commands: ["weather"],
  config: { url: "https://modules.example/weather", secret: "s".repeat(32) },
});
const uniq = () => `m-${crypto.randomUUID().slice(0, 8)}`;

async function admin() {
  const c = await createCommunity();
  const { authorization } = await createUserWithKey({ communityId: c.id, role: "admin" });
  return { id: c.id, authorization };
}

describe("modules admin API", () => {
  it("installs a webhook module and lists it with its secret hidden", async () => {
    const c = await admin();
    const created = await json("POST", `/api/v1/communities/${c.id}/modules`, c.authorization, webhookModule(uniq()));
    expect(created.status).toBe(201);
    const list = await json("GET", `/api/v1/communities/${c.id}/modules`, c.authorization);
    const body = await list.json<{ data: { config: Record<string, unknown>; commands: string[] }[] }>();
    expect(body.data).toHaveLength(1);
    expect(body.data[0]?.config.secret).toBe("[set]");
    expect(body.data[0]?.commands).toEqual(["weather"]);
    expect(JSON.stringify(body)).not.toContain("s".repeat(32));
  });

  it("refuses a module whose config does not validate (400 with issues) and stores nothing", async () => {
    const c = await admin();
    const bad = { ...webhookModule(uniq()), config: { url: "ftp://x", secret: "short" } };
    const res = await json("POST", `/api/v1/communities/${c.id}/modules`, c.authorization, bad);
    expect(res.status).toBe(400);
    const list = await json("GET", `/api/v1/communities/${c.id}/modules`, c.authorization);
    expect((await list.json<{ data: unknown[] }>()).data).toEqual([]);
  });

  it("refuses a second module with the same name with 409", async () => {
    const c = await admin();
    const name = uniq();
    expect(
      (await json("POST", `/api/v1/communities/${c.id}/modules`, c.authorization, webhookModule(name))).status,
    ).toBe(201);
    expect(
      (await json("POST", `/api/v1/communities/${c.id}/modules`, c.authorization, webhookModule(name))).status,
    ).toBe(409);
  });

  it("lets a moderator list but not install (403), and a stranger neither", async () => {
    const c = await admin();
    const mod = await createUserWithKey({ communityId: c.id, role: "moderator" });
    const other = await createCommunity();
    const stranger = await createUserWithKey({ communityId: other.id, role: "owner" });
    expect((await json("GET", `/api/v1/communities/${c.id}/modules`, mod.authorization)).status).toBe(200);
    expect(
      (await json("POST", `/api/v1/communities/${c.id}/modules`, mod.authorization, webhookModule(uniq()))).status,
    ).toBe(403);
    expect((await json("GET", `/api/v1/communities/${c.id}/modules`, stranger.authorization)).status).toBe(403);
  });

  it("uninstalls, and answers 404 for a module that is not installed there", async () => {
    const c = await admin();
    const created = await json("POST", `/api/v1/communities/${c.id}/modules`, c.authorization, webhookModule(uniq()));
    const { id } = (await created.json<{ data: { id: string } }>()).data;
    expect((await json("DELETE", `/api/v1/communities/${c.id}/modules/${id}`, c.authorization)).status).toBe(200);
    expect((await json("DELETE", `/api/v1/communities/${c.id}/modules/${id}`, c.authorization)).status).toBe(404);
    expect((await json("DELETE", `/api/v1/communities/${c.id}/modules/not-a-uuid`, c.authorization)).status).toBe(400);
  });
});

describe("module secrets after uninstall", () => {
  const stored = (id: string) =>
    env.DB.prepare("SELECT config FROM modules WHERE id = ?").bind(id).first<{ config: string }>();

  it("deletes the community's own module, secret included, when its last installation goes", async () => {
    const c = await admin();
    const name = uniq();
    const created = await json("POST", `/api/v1/communities/${c.id}/modules`, c.authorization, webhookModule(name));
    const { id } = (await created.json<{ data: { id: string } }>()).data;
    // The secret is there, sealed (never in clear: secrets-at-rest.test.ts).
    expect(JSON.parse((await stored(id))!.config).secret).toMatch(/^v1\./);
    expect((await json("DELETE", `/api/v1/communities/${c.id}/modules/${id}`, c.authorization)).status).toBe(200);
    expect(await stored(id)).toBeNull();
    // The name is free again: the community can register it anew.
    expect(
      (await json("POST", `/api/v1/communities/${c.id}/modules`, c.authorization, webhookModule(name))).status,
    ).toBe(201);
  });

  it("keeps a module that another community still has installed", async () => {
    const c = await admin();
    const other = await createCommunity();
    const created = await json("POST", `/api/v1/communities/${c.id}/modules`, c.authorization, webhookModule(uniq()));
    const { id } = (await created.json<{ data: { id: string } }>()).data;
    await env.DB.prepare(
      "INSERT INTO module_installations (id, community_id, module_id, created_at) VALUES (?, ?, ?, ?)",
    )
      .bind(crypto.randomUUID(), other.id, id, Date.now())
      .run();
    expect((await json("DELETE", `/api/v1/communities/${c.id}/modules/${id}`, c.authorization)).status).toBe(200);
    expect(JSON.parse((await stored(id))!.config).secret).toMatch(/^v1\./);
  });
});
