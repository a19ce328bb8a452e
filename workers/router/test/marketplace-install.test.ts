import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createUserWithKey } from "../../../test/workerd/fixtures.ts";
import { signWebhook, WEBHOOK_HEADERS } from "../src/engines/webhook.ts";
import {
  communityWithAdmin,
  createAuthor,
  install,
  publishWebhookModule,
  webhookVersion,
} from "./support/marketplace.ts";
import { api, chat, fake, send, texts } from "./support/router.ts";

const say = async (
  community: { id: string; platformIds: Record<"discord" | "twitch" | "slack", string> },
  text: string,
  user = {},
) => texts(await send(chat(community, text, user)));
const installationRow = (communityId: string) =>
  env.DB.prepare("SELECT * FROM module_installations WHERE community_id = ?")
    .bind(communityId)
    .first<Record<string, unknown>>();
const commandRows = async (communityId: string) =>
  (
    await env.DB.prepare("SELECT name FROM commands WHERE community_id = ? ORDER BY name")
      .bind(communityId)
      .all<{ name: string }>()
  ).results.map((r) => r.name);

describe("installing a marketplace module", () => {
  it("registers its commands at once; each call is signed with the installation's own secret and carries its settings", async () => {
    const author = await createAuthor();
    const cmd = `fish${crypto.randomUUID().slice(0, 4)}`;
    const mod = await publishWebhookModule(author.authorization, [cmd], {
      reply: "Here is a fish",
      extra: { settings: { type: "object", properties: { greeting: { type: "string", default: "hi" } } } },
    });
    const { community, authorization } = await communityWithAdmin();
    const res = await install(community.id, authorization, { module: mod.name, settings: {} });
    expect(res.status).toBe(201);
    const secret = res.data.webhookSecret as string;
    expect(secret).toMatch(/^[0-9a-f]{64}$/);
    expect(await say(community, `!${cmd}`)).toEqual(["Here is a fish"]);
    const [call] = await fake.requests(mod.path);
    const body = call!.raw;
    const ts = call!.headers[WEBHOOK_HEADERS.timestamp.toLowerCase()]!;
    expect(call!.headers[WEBHOOK_HEADERS.signature.toLowerCase()]).toBe(await signWebhook(secret, ts, body));
    expect(call!.headers[WEBHOOK_HEADERS.installation.toLowerCase()]).toBe(res.data.id);
    expect(JSON.parse(body)).toMatchObject({ settings: { greeting: "hi" }, command: { name: cmd } });
    // Sealed at rest, never in an answer.
    const row = await installationRow(community.id);
    expect(String(row?.secrets)).toMatch(/^v1\./);
    expect(String(row?.secrets)).not.toContain(secret);
    const list = await api<{ secretsSet: string[] }[]>(
      "GET",
      `/api/v1/communities/${community.id}/installations`,
      authorization,
    );
    expect(list.data[0]?.secretsSet).toEqual(["secret"]);
    expect(JSON.stringify(list)).not.toContain(secret);
  });

  it("lets two communities install the same module, each with its own secret", async () => {
    const author = await createAuthor();
    const mod = await publishWebhookModule(author.authorization, ["shared"]);
    const a = await communityWithAdmin();
    const b = await communityWithAdmin();
    const ra = await install(a.community.id, a.authorization, { module: mod.name });
    const rb = await install(b.community.id, b.authorization, {
      module: mod.name,
      secrets: { secret: "b".repeat(32) },
    });
    expect([ra.status, rb.status]).toEqual([201, 201]);
    expect(rb.data.webhookSecret).toBeUndefined();
    expect(ra.data.webhookSecret).not.toBe("b".repeat(32));
    expect((await install(a.community.id, a.authorization, { module: mod.name })).status).toBe(409);
  });

  it("refuses bad settings, unknown overrides and unused secrets (400) and stores nothing", async () => {
    const author = await createAuthor();
    const mod = await publishWebhookModule(author.authorization, ["quiz"], {
      extra: {
        settings: {
          type: "object",
          properties: {
            rounds: { type: "integer", minimum: 1, maximum: 10 },
            mode: { type: "string", enum: ["easy", "hard"] },
          },
          required: ["rounds"],
        },
      },
    });
    const { community, authorization } = await communityWithAdmin();
    for (const body of [
      { module: mod.name, settings: {} },
      { module: mod.name, settings: { rounds: 11 } },
      { module: mod.name, settings: { rounds: 2, mode: "medium" } },
      { module: mod.name, settings: { rounds: 2, extra: true } },
      { module: mod.name, settings: { rounds: 2 }, commands: { nope: { alias: "x" } } },
      { module: mod.name, settings: { rounds: 2 }, secrets: { auth: "user:key" } },
      { module: mod.name, settings: { rounds: 2 }, secrets: { secret: "short" } },
    ]) {
      const res = await install(community.id, authorization, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
    }
    expect(await installationRow(community.id)).toBeNull();
    expect(await commandRows(community.id)).toEqual([]);
    expect((await install(community.id, authorization, { module: "no-such-module" })).status).toBe(404);
  });

  it("refuses a yanked version for new installs (409); an existing install keeps running and sees a notice", async () => {
    const author = await createAuthor();
    const mod = await publishWebhookModule(author.authorization, ["oldie"], { reply: "still here" });
    const early = await communityWithAdmin();
    expect((await install(early.community.id, early.authorization, { module: mod.name })).status).toBe(201);
    await api("POST", `/api/v1/marketplace/modules/${mod.name}/versions/1.0.0/yank`, author.authorization, {
      reason: "leaks",
    });
    const late = await communityWithAdmin();
    const refused = await install(late.community.id, late.authorization, { module: mod.name, version: "1.0.0" });
    expect(refused.status).toBe(409);
    expect(refused.message).toContain("yanked");
    expect((await install(late.community.id, late.authorization, { module: mod.name })).status).toBe(409);
    expect(await installationRow(late.community.id)).toBeNull();
    expect(await say(early.community, "!oldie")).toEqual(["still here"]);
    const list = await api<{ notice: string | null }[]>(
      "GET",
      `/api/v1/communities/${early.community.id}/installations`,
      early.authorization,
    );
    expect(list.data[0]?.notice).toContain("yanked");
  });

  it("answers 409 naming a command that collides with a custom command or a built-in; an alias resolves it", async () => {
    const author = await createAuthor();
    const mod = await publishWebhookModule(author.authorization, ["hug", "help"], { reply: "module hug" });
    const { community, authorization } = await communityWithAdmin();
    expect(
      (
        await api("POST", `/api/v1/communities/${community.id}/commands`, authorization, {
          name: "hug",
          response: "custom hug",
        })
      ).status,
    ).toBe(201);
    const clash = await install(community.id, authorization, { module: mod.name });
    expect(clash.status).toBe(409);
    expect(clash.message).toContain("!hug is already a custom command");
    expect(clash.message).toContain("!help is already a built-in command");
    expect(await installationRow(community.id)).toBeNull();
    const ok = await install(community.id, authorization, {
      module: mod.name,
      commands: { hug: { alias: "mhug" }, help: { alias: "mhelp" } },
    });
    expect(ok.status).toBe(201);
    expect(await say(community, "!hug")).toEqual(["custom hug"]);
    expect(await say(community, "!mhug")).toEqual(["module hug"]);
    // The module sees its own command name, not the alias.
    const calls = await fake.requests(mod.path);
    expect(JSON.parse(calls.at(-1)!.raw).command.name).toBe("hug");
  });

  it("lets only an admin install (403 for a moderator)", async () => {
    const author = await createAuthor();
    const mod = await publishWebhookModule(author.authorization, ["x1"]);
    const { community } = await communityWithAdmin();
    const moderator = await createUserWithKey({ communityId: community.id, role: "moderator" });
    expect((await install(community.id, moderator.authorization, { module: mod.name })).status).toBe(403);
  });
});

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
