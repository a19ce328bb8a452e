import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createCommunity, createUserWithKey } from "../../../test/workerd/fixtures.ts";
import { signWebhook, WEBHOOK_HEADERS } from "../src/engines/webhook.ts";
import { migrateLegacyModules } from "../src/marketplace/migrate-legacy.ts";
import { invalidateRouterConfig } from "../src/router-config.ts";
import { install } from "./support/marketplace.ts";
import { api, chat, fake, installModule, SECRET, send, texts, webhookAt } from "./support/router.ts";

describe("moving communities' own modules onto versions and installations", () => {
  it("keeps the module answering with its secret, now sealed in the installation; nothing secret left in modules", async () => {
    const community = await createCommunity();
    const hook = webhookAt();
    await fake.script({
      method: "POST",
      path: hook.path,
      status: 200,
      times: 5,
      body: { replies: [{ type: "chat", text: "legacy ok" }] },
    });
    const legacy = await installModule(community.id, {
      name: `own_${crypto.randomUUID().slice(0, 6)}`,
      engine: "webhook",
      config: hook.config,
      commands: ["legacy"],
    });
    expect(texts(await send(chat(community, "!legacy")))).toEqual(["legacy ok"]);

    expect(await migrateLegacyModules(env as never, 1000)).toBeGreaterThan(0);
    invalidateRouterConfig(community.id);
    const row = await env.DB.prepare("SELECT * FROM modules WHERE id = ?")
      .bind(legacy.id)
      .first<Record<string, string>>();
    expect(JSON.parse(row!.config!)).toEqual({});
    expect(JSON.stringify(row)).not.toContain(SECRET);
    expect(row!.latest_version).toBe("1.0.0");
    const inst = await env.DB.prepare("SELECT secrets, version_id FROM module_installations WHERE module_id = ?")
      .bind(legacy.id)
      .first<Record<string, string>>();
    expect(inst!.secrets).toMatch(/^v1\./);
    expect(inst!.version_id).toBeTruthy();

    expect(texts(await send(chat(community, "!legacy")))).toEqual(["legacy ok"]);
    const last = (await fake.requests(hook.path)).at(-1)!;
    const ts = last.headers[WEBHOOK_HEADERS.timestamp.toLowerCase()]!;
    expect(last.headers[WEBHOOK_HEADERS.signature.toLowerCase()]).toBe(await signWebhook(SECRET, ts, last.raw));
    // A second run has nothing left to move.
    expect(await migrateLegacyModules(env as never, 1000)).toBe(0);
  });

  it("skips a module installed in two communities without holding back the ones after it", async () => {
    const a = await createCommunity();
    const b = await createCommunity();
    const shared = await installModule(a.id, {
      name: `shared_${crypto.randomUUID().slice(0, 6)}`,
      engine: "webhook",
      config: webhookAt().config,
      commands: ["s"],
    });
    await env.DB.prepare(
      "INSERT INTO module_installations (id, community_id, module_id, created_at) VALUES (?, ?, ?, ?)",
    )
      .bind(crypto.randomUUID(), b.id, shared.id, Date.now())
      .run();
    const own = await installModule(b.id, {
      name: `own_${crypto.randomUUID().slice(0, 6)}`,
      engine: "webhook",
      config: webhookAt().config,
      commands: ["o"],
    });
    expect(await migrateLegacyModules(env as never, 1)).toBe(1);
    const moved = await env.DB.prepare("SELECT latest_version FROM modules WHERE id = ?")
      .bind(own.id)
      .first<{ latest_version: string | null }>();
    expect(moved?.latest_version).toBe("1.0.0");
    const left = await env.DB.prepare("SELECT latest_version, config FROM modules WHERE id = ?")
      .bind(shared.id)
      .first<{ latest_version: string | null; config: string }>();
    expect(left?.latest_version).toBeNull();
    // Left where it was, its secret still sealed in place (never back in clear).
    expect(left?.config).not.toContain(SECRET);
    expect(left?.config).toMatch(/"secret":"v1\./);
  });

  it("keeps a moved module private: not listed, not installable by another community (404)", async () => {
    const community = await createCommunity();
    const hook = webhookAt();
    const name = `priv-${crypto.randomUUID().slice(0, 6)}`;
    await installModule(community.id, { name, engine: "webhook", config: hook.config, commands: ["p"] });
    await migrateLegacyModules(env as never, 1000);
    const other = await createCommunity();
    const admin = await createUserWithKey({ communityId: other.id, role: "admin" });
    expect((await install(other.id, admin.authorization, { module: name })).status).toBe(404);
    expect((await api("GET", `/api/v1/marketplace/modules/${name}`, admin.authorization)).status).toBe(404);
    const found = await api<{ items: { name: string }[] }>(
      "GET",
      `/api/v1/marketplace/modules?q=${name}`,
      admin.authorization,
    );
    expect(found.data.items).toEqual([]);
  });
});
