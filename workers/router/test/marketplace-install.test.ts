import { describe, expect, it } from "vitest";
import { createUserWithKey } from "../../../test/workerd/fixtures.ts";
import { signWebhook, WEBHOOK_HEADERS } from "../src/engines/webhook.ts";
import {
  commandRows,
  communityWithAdmin,
  createAuthor,
  install,
  installationRow,
  publishWebhookModule,
  say,
} from "./support/marketplace.ts";
import { api, fake } from "./support/router.ts";

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
