import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createUserWithKey } from "../../../test/workerd/fixtures.ts";
import {
  commandRows,
  communityWithAdmin,
  createAuthor,
  install,
  installationRow,
  publishWebhookModule,
  say,
  webhookVersion,
} from "./support/marketplace.ts";
import { api, chat, fake, send, texts } from "./support/router.ts";

describe("upgrading, downgrading, disabling, uninstalling", () => {
  it("swaps the command set with the version: a command the new version lacks stops answering", async () => {
    const author = await createAuthor();
    const mod = await publishWebhookModule(author.authorization, ["old"], { reply: "v1 answers" });
    const v2 = webhookVersion("2.0.0", ["new"]);
    expect(
      (await api("POST", `/api/v1/marketplace/modules/${mod.name}/versions`, author.authorization, v2.manifest)).status,
    ).toBe(201);
    await fake.script({
      method: "POST",
      path: v2.path,
      status: 200,
      times: 5,
      body: { replies: [{ type: "chat", text: "v2 answers" }] },
    });
    const { community, authorization } = await communityWithAdmin();
    expect((await install(community.id, authorization, { module: mod.name, version: "1.0.0" })).status).toBe(201);
    expect(await say(community, "!old")).toEqual(["v1 answers"]);
    const patch = (body: object) =>
      api<{ version: string }>(
        "PATCH",
        `/api/v1/communities/${community.id}/installations/${mod.name}`,
        authorization,
        body,
      );
    const up = await patch({ version: "2.0.0" });
    expect(up.status).toBe(200);
    expect(up.data.version).toBe("2.0.0");
    expect(await say(community, "!old")).toEqual([]);
    expect(await say(community, "!new")).toEqual(["v2 answers"]);
    expect((await patch({ version: "1.0.0" })).status).toBe(200);
    expect(await say(community, "!new")).toEqual([]);
    expect(await say(community, "!old")).toEqual(["v1 answers"]);
    expect((await patch({ version: "3.0.0" })).status).toBe(404);
    expect((await patch({ enabled: false })).status).toBe(200);
    expect(await say(community, "!old")).toEqual([]);
    expect((await patch({ enabled: true })).status).toBe(200);
    expect(await say(community, "!old")).toEqual(["v1 answers"]);
    expect(
      (await api("DELETE", `/api/v1/communities/${community.id}/installations/${mod.name}`, authorization)).status,
    ).toBe(200);
    expect(await say(community, "!old")).toEqual([]);
    expect(await commandRows(community.id)).toEqual([]);
    expect(await installationRow(community.id)).toBeNull();
    expect(
      (await api("DELETE", `/api/v1/communities/${community.id}/installations/${mod.name}`, authorization)).status,
    ).toBe(404);
  });

  it("refuses an upgrade whose new command collides (409) and leaves the old set answering", async () => {
    const author = await createAuthor();
    const mod = await publishWebhookModule(author.authorization, ["calm"], { reply: "calm" });
    await api(
      "POST",
      `/api/v1/marketplace/modules/${mod.name}/versions`,
      author.authorization,
      webhookVersion("1.1.0", ["calm", "party"]).manifest,
    );
    const { community, authorization } = await communityWithAdmin();
    await install(community.id, authorization, { module: mod.name, version: "1.0.0" });
    await api("POST", `/api/v1/communities/${community.id}/commands`, authorization, {
      name: "party",
      response: "ours",
    });
    const up = await api("PATCH", `/api/v1/communities/${community.id}/installations/${mod.name}`, authorization, {
      version: "1.1.0",
    });
    expect(up.status).toBe(409);
    expect(up.message).toContain("!party");
    expect(await say(community, "!calm")).toEqual(["calm"]);
    expect(await say(community, "!party")).toEqual(["ours"]);
    const aliased = await api("PATCH", `/api/v1/communities/${community.id}/installations/${mod.name}`, authorization, {
      version: "1.1.0",
      commands: { party: { alias: "mparty" } },
    });
    expect(aliased.status).toBe(200);
  });

  it("lets a moderator tune a command's cooldown and level up to moderator, never above (403)", async () => {
    const author = await createAuthor();
    const mod = await publishWebhookModule(author.authorization, ["tune"], { reply: "tuned" });
    const { community, authorization } = await communityWithAdmin();
    await install(community.id, authorization, { module: mod.name });
    const moderator = await createUserWithKey({ communityId: community.id, role: "moderator" });
    const tune = (auth: string, body: object) =>
      api<{ commands: { minLevel: string; userCooldownSec: number }[] }>(
        "PATCH",
        `/api/v1/communities/${community.id}/installations/${mod.name}/commands/tune`,
        auth,
        body,
      );
    const ok = await tune(moderator.authorization, { minLevel: "vip", userCooldownSec: 30 });
    expect(ok.status).toBe(200);
    expect(ok.data.commands[0]).toMatchObject({ minLevel: "vip", userCooldownSec: 30 });
    expect((await tune(moderator.authorization, { minLevel: "admin" })).status).toBe(403);
    expect((await tune(authorization, { minLevel: "admin" })).status).toBe(200);
    // Now above the moderator: they may not lower it either.
    expect((await tune(moderator.authorization, { minLevel: "everyone" })).status).toBe(403);
    expect((await tune(moderator.authorization, { minLevel: "owner", bogus: 1 })).status).toBe(400);
    expect(await say(community, "!tune")).toEqual([]);
    expect(await say(community, "!tune", { isAdmin: true })).toEqual(["tuned"]);
  });
});

describe("event-triggered marketplace modules", () => {
  it("runs a version's events for the community that installed it, and stops when it is disabled", async () => {
    const author = await createAuthor();
    const mod = await publishWebhookModule(author.authorization, [], {
      reply: "welcome, follower",
      extra: { events: ["follow"] },
    });
    const { community, authorization } = await communityWithAdmin();
    const follow = () =>
      send(
        chat(
          community,
          "",
          { id: "fan" },
          { type: "follow", text: undefined, platform: "twitch", communityPlatformId: community.platformIds.twitch },
        ),
      );
    expect(texts(await follow())).toEqual([]);
    await install(community.id, authorization, { module: mod.name });
    expect(texts(await follow())).toEqual(["welcome, follower"]);
    const other = await communityWithAdmin();
    expect(
      texts(
        await send(
          chat(
            other.community,
            "",
            {},
            {
              type: "follow",
              text: undefined,
              platform: "twitch",
              communityPlatformId: other.community.platformIds.twitch,
            },
          ),
        ),
      ),
    ).toEqual([]);
    await api("PATCH", `/api/v1/communities/${community.id}/installations/${mod.name}`, authorization, {
      enabled: false,
    });
    expect(texts(await follow())).toEqual([]);
  });
});

describe("the version swap is one D1 batch", () => {
  it("when the installation update fails inside D1, the command set is not swapped either", async () => {
    const author = await createAuthor();
    const mod = await publishWebhookModule(author.authorization, ["keep"], { reply: "still v1" });
    await api(
      "POST",
      `/api/v1/marketplace/modules/${mod.name}/versions`,
      author.authorization,
      webhookVersion("2.0.0", ["other"]).manifest,
    );
    const { community, authorization } = await communityWithAdmin();
    await install(community.id, authorization, { module: mod.name, version: "1.0.0" });
    const trigger = `fail_swap_${community.id.replaceAll("-", "")}`;
    // A real failure inside D1 (no mock): the installation's update aborts for this community only.
    await env.DB.exec(
      `CREATE TRIGGER ${trigger} BEFORE UPDATE ON module_installations WHEN OLD.community_id = '${community.id}' BEGIN SELECT RAISE(ABORT, 'd1 down'); END;`,
    );
    try {
      const res = await api("PATCH", `/api/v1/communities/${community.id}/installations/${mod.name}`, authorization, {
        version: "2.0.0",
      });
      expect(res.status).toBe(500);
    } finally {
      await env.DB.exec(`DROP TRIGGER ${trigger};`);
    }
    expect(await commandRows(community.id)).toEqual(["keep"]);
    expect(await say(community, "!keep")).toEqual(["still v1"]);
  });
});
