import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { ModulesRpc } from "../../../lib/modules/contract.ts";
import { createUserWithKey } from "../../../test/workerd/fixtures.ts";
import { api, communityWith, MOD, say } from "./support.ts";

const modules = (exports as unknown as { default: ModulesRpc }).default;
const FIRST_PARTY = [
  "ai",
  "alias",
  "calendar",
  "counters",
  "giveaways",
  "inventory",
  "loyalty",
  "memories",
  "shoutout",
  "timers",
  "youtube-music",
];

describe("first-party modules in the marketplace", () => {
  it("are listed as official, authorless builtin modules", async () => {
    const anyone = await createUserWithKey({});
    const res = await api<{ items: { name: string; official: boolean; author: unknown; latestVersion: string }[] }>(
      "GET",
      "/api/v1/marketplace/modules?pageSize=50",
      anyone.authorization,
    );
    expect(res.status, res.message).toBe(200);
    const official = res.data.items.filter((m) => m.official).map((m) => m.name);
    expect(official).toEqual(expect.arrayContaining(FIRST_PARTY));
    for (const m of res.data.items.filter((i) => i.official)) expect(m.author).toBeNull();
    const detail = await api<{ versions: { engine: string; config: { handler: string } }[] }>(
      "GET",
      "/api/v1/marketplace/modules/counters",
      anyone.authorization,
    );
    expect(detail.data.versions[0]).toMatchObject({ engine: "builtin", config: { handler: "counters" } });
  });

  it("install and uninstall per community through the installations API", async () => {
    const { community, authorization } = await communityWith("counters");
    expect(await say(community, "discord", "!deaths")).toEqual(["Deaths: 0"]);
    const again = await api("POST", `/api/v1/communities/${community.id}/installations`, authorization, {
      module: "counters",
    });
    expect(again.status).toBe(409);
    const removed = await api("DELETE", `/api/v1/communities/${community.id}/installations/counters`, authorization);
    expect(removed.status, removed.message).toBeLessThan(300);
    expect(await say(community, "discord", "!deaths")).toEqual([]);
    const viewer = await createUserWithKey({ communityId: community.id, role: "member" });
    const denied = await api("POST", `/api/v1/communities/${community.id}/installations`, viewer.authorization, {
      module: "counters",
    });
    expect(denied.status).toBe(403);
  });

  it("leave the router's own built-ins published as marketplace modules running in the router", async () => {
    const admin = await createUserWithKey({ globalRole: "admin" });
    await env.DB.prepare("UPDATE users SET email = ? WHERE id = ?")
      .bind(`a-${admin.userId}@waddlebot.test`, admin.userId)
      .run();
    const name = `pinger-${crypto.randomUUID().slice(0, 6)}`;
    const published = await api("POST", "/api/v1/marketplace/modules", admin.authorization, {
      name,
      displayName: "Pinger",
      version: { version: "1.0.0", engine: "builtin", config: { handler: "ping" }, commands: [{ name: "pingme" }] },
    });
    expect(published.status, published.message).toBe(201);
    const { community, authorization } = await communityWith();
    const installed = await api("POST", `/api/v1/communities/${community.id}/installations`, authorization, {
      module: name,
    });
    expect(installed.status, installed.message).toBe(201);
    expect(await say(community, "discord", "!pingme")).toEqual(["pong"]);
  });

  it("keep each community's data to itself", async () => {
    const a = await communityWith("counters");
    const b = await communityWith("counters");
    await say(a.community, "discord", "!deaths set 3", MOD);
    expect(await say(b.community, "discord", "!deaths")).toEqual(["Deaths: 0"]);
  });
});

describe("the modules worker's RPC contract", () => {
  it("answers nothing to an unknown handler or a payload that does not validate", async () => {
    const { community } = await communityWith();
    const good = {
      sessionId: "s",
      eventId: "e",
      eventType: "message",
      communityId: community.id,
      platform: "discord",
      channel: { id: "c" },
      user: { id: "u", username: "ada", level: "everyone" },
      command: { prefix: "!", name: "deaths", args: [], rawArgs: "" },
      simulated: false,
    };
    expect(await modules.call("counters", good)).toEqual({ replies: [{ type: "chat", text: "Deaths: 0" }] });
    expect(await modules.call("no-such-module", good)).toEqual({ replies: [] });
    expect(await modules.call("counters", { ...good, user: { ...good.user, level: "god" } })).toEqual({ replies: [] });
    expect(await modules.call("counters", { ...good, platform: "irc" })).toEqual({ replies: [] });
    expect(await modules.call("counters", null)).toEqual({ replies: [] });
  });

  it("never lets a simulated try write", async () => {
    const { community, authorization } = await communityWith("counters", "memories");
    const res = await api<{ replies: { text: string }[] }>(
      "POST",
      `/api/v1/communities/${community.id}/simulate`,
      authorization,
      {
        platform: "discord",
        text: "!deaths set 9",
        level: "moderator",
      },
    );
    expect(res.status, res.message).toBe(200);
    expect(JSON.stringify(res.data)).toContain("would change data");
    const row = await env.DB.prepare("SELECT value FROM module_counters WHERE community_id = ?")
      .bind(community.id)
      .first();
    expect(row).toBeNull();
  });
});
