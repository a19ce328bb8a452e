import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createUserWithKey } from "../../../test/workerd/fixtures.ts";
import { createAuthor, moduleManifest, uniqName, webhookVersion } from "./support/marketplace.ts";
import { api } from "./support/router.ts";

const publish = (authorization: string, body: unknown) =>
  api("POST", "/api/v1/marketplace/modules", authorization, body);
const publishVersion = (authorization: string, name: string, body: unknown) =>
  api("POST", `/api/v1/marketplace/modules/${name}/versions`, authorization, body);
const moduleCount = async (name: string) =>
  (await env.DB.prepare("SELECT count(*) AS n FROM modules WHERE name = ?").bind(name).first<{ n: number }>())!.n;
const versionCount = async (name: string) =>
  (await env.DB.prepare(
    "SELECT count(*) AS n FROM module_versions v JOIN modules m ON m.id = v.module_id WHERE m.name = ?",
  )
    .bind(name)
    .first<{ n: number }>())!.n;

describe("publishing marketplace modules", () => {
  it("publishes a module with its first version and shows it with versions, rating and installs", async () => {
    const author = await createAuthor();
    const name = uniqName();
    const res = await publish(author.authorization, moduleManifest(name, webhookVersion("1.0.0", ["fish"]).manifest));
    expect(res.status).toBe(201);
    const got = await api<{
      latestVersion: string;
      labels: string[];
      installs: number;
      rating: null;
      versions: { version: string; config: Record<string, unknown> }[];
    }>("GET", `/api/v1/marketplace/modules/${name}`, author.authorization);
    expect(got.status).toBe(200);
    expect(got.data.latestVersion).toBe("1.0.0");
    expect(got.data.labels).toEqual(["fun", "penguins"]);
    expect(got.data.installs).toBe(0);
    expect(got.data.rating).toBeNull();
    expect(got.data.versions.map((v) => v.version)).toEqual(["1.0.0"]);
  });

  it("refuses a manifest that does not validate (400 with issues) and stores nothing", async () => {
    const author = await createAuthor();
    const name = uniqName();
    const good = webhookVersion("1.0.0", ["fish"]).manifest;
    for (const bad of [
      moduleManifest(name.toUpperCase(), good),
      moduleManifest(name, { ...good, version: "1.0" }),
      moduleManifest(name, { ...good, engine: "ftp" }),
      moduleManifest(name, { ...good, commands: [{ name: "fish" }, { name: "fish" }] }),
      moduleManifest(name, {
        ...good,
        settings: { type: "object", properties: { a: { type: "string", pattern: "(a+)+$" } } },
      }),
      moduleManifest(name, { ...good, settings: { type: "object", properties: {}, required: ["missing"] } }),
      moduleManifest(name, { ...good, price: { type: "monthly", amount: 1 } }),
      moduleManifest(name, { ...good, config: { url: "http://10.0.0.1/hook" } }),
      moduleManifest(name, good, { homepage: "javascript:alert(1)" }),
    ]) {
      const res = await publish(author.authorization, bad);
      expect(res.status, JSON.stringify(bad).slice(0, 200)).toBe(400);
    }
    expect(await moduleCount(name)).toBe(0);
    expect(await moduleCount(name.toUpperCase())).toBe(0);
  });

  it("refuses a name already taken (409), by a marketplace module or a community's own", async () => {
    const author = await createAuthor();
    const name = uniqName();
    const v = webhookVersion("1.0.0", ["fish"]).manifest;
    expect((await publish(author.authorization, moduleManifest(name, v))).status).toBe(201);
    const other = await createAuthor();
    const again = await publish(other.authorization, moduleManifest(name, v));
    expect(again.status).toBe(409);
    expect(again.message).toContain(name);
  });

  it("publishes a higher version; an equal or lower one is 409 and stores nothing", async () => {
    const author = await createAuthor();
    const name = uniqName();
    await publish(author.authorization, moduleManifest(name, webhookVersion("1.2.0", ["fish"]).manifest));
    expect((await publishVersion(author.authorization, name, webhookVersion("1.2.0", ["fish"]).manifest)).status).toBe(
      409,
    );
    const lower = await publishVersion(author.authorization, name, webhookVersion("1.1.9", ["fish"]).manifest);
    expect(lower.status).toBe(409);
    expect(lower.message).toContain("1.2.0");
    expect(await versionCount(name)).toBe(1);
    const higher = await publishVersion(
      author.authorization,
      name,
      webhookVersion("1.10.0", ["fish", "chips"]).manifest,
    );
    expect(higher.status).toBe(201);
    const got = await api<{ latestVersion: string; versions: { version: string }[] }>(
      "GET",
      `/api/v1/marketplace/modules/${name}`,
      author.authorization,
    );
    expect(got.data.latestVersion).toBe("1.10.0");
    expect(got.data.versions.map((v) => v.version)).toEqual(["1.10.0", "1.2.0"]);
  });

  it("lets only the author publish versions (403 for anyone else), and never changes the engine (400)", async () => {
    const author = await createAuthor();
    const name = uniqName();
    await publish(author.authorization, moduleManifest(name, webhookVersion("1.0.0", ["fish"]).manifest));
    const stranger = await createAuthor();
    expect(
      (await publishVersion(stranger.authorization, name, webhookVersion("2.0.0", ["fish"]).manifest)).status,
    ).toBe(403);
    const ow = { version: "2.0.0", engine: "openwhisk", config: { apiHost: "https://ow.example", action: "a" } };
    expect((await publishVersion(author.authorization, name, ow)).status).toBe(400);
    expect(await versionCount(name)).toBe(1);
  });

  it("needs an account with an email address (403 for a chat-only account) and an admin for builtin modules", async () => {
    const chatOnly = await createUserWithKey({});
    await env.DB.prepare("UPDATE users SET email = NULL WHERE id = ?").bind(chatOnly.userId).run();
    const name = uniqName();
    expect(
      (await publish(chatOnly.authorization, moduleManifest(name, webhookVersion("1.0.0", ["fish"]).manifest))).status,
    ).toBe(403);
    const builtin = { version: "1.0.0", engine: "builtin", config: { handler: "help" } };
    const author = await createAuthor();
    expect((await publish(author.authorization, moduleManifest(name, builtin))).status).toBe(403);
    const service = await createUserWithKey({ serviceRole: "core" });
    expect(
      (await publish(service.authorization, moduleManifest(name, { ...builtin, config: { handler: "nope" } }))).status,
    ).toBe(400);
    expect(await moduleCount(name)).toBe(0);
  });

  it("yanks a version once (a second yank is 409; an unknown version 404; a stranger 403)", async () => {
    const author = await createAuthor();
    const name = uniqName();
    await publish(author.authorization, moduleManifest(name, webhookVersion("1.0.0", ["fish"]).manifest));
    const stranger = await createAuthor();
    expect(
      (await api("POST", `/api/v1/marketplace/modules/${name}/versions/1.0.0/yank`, stranger.authorization, {})).status,
    ).toBe(403);
    const tooLong = await api("POST", `/api/v1/marketplace/modules/${name}/versions/1.0.0/yank`, author.authorization, {
      reason: "x".repeat(301),
    });
    expect(tooLong.status).toBe(400);
    const yank = await api<{ yanked: boolean }>(
      "POST",
      `/api/v1/marketplace/modules/${name}/versions/1.0.0/yank`,
      author.authorization,
      { reason: "broken" },
    );
    expect(yank.status).toBe(200);
    expect(yank.data.yanked).toBe(true);
    expect(
      // No body at all: the reason is optional.
      (await api("POST", `/api/v1/marketplace/modules/${name}/versions/1.0.0/yank`, author.authorization)).status,
    ).toBe(409);
    expect(
      (await api("POST", `/api/v1/marketplace/modules/${name}/versions/9.9.9/yank`, author.authorization, {})).status,
    ).toBe(404);
  });
});

describe("searching the marketplace", () => {
  it("finds modules by words in name, description, commands and labels; filters by category and label", async () => {
    const author = await createAuthor();
    const tag = crypto.randomUUID().slice(0, 6);
    const a = uniqName();
    const b = uniqName();
    await publish(
      author.authorization,
      moduleManifest(a, webhookVersion("1.0.0", [`quiz${tag}`]).manifest, {
        categories: ["games/trivia"],
        labels: [`l${tag}`],
      }),
    );
    await publish(
      author.authorization,
      moduleManifest(b, webhookVersion("1.0.0", ["song"]).manifest, {
        description: `Music ${tag} player`,
        categories: ["music"],
      }),
    );
    const names = async (query: string) =>
      (
        await api<{ items: { name: string }[] }>("GET", `/api/v1/marketplace/modules?${query}`, author.authorization)
      ).data.items.map((i) => i.name);
    expect(await names(`q=quiz${tag}`)).toEqual([a]);
    expect(await names(`q=${tag}+player`)).toEqual([b]);
    expect(await names(`q=${tag}&category=games`)).toEqual([a]);
    expect(await names(`q=${tag}&category=games/trivia`)).toEqual([a]);
    expect(await names(`q=${tag}&category=gam`)).toEqual([]);
    expect(await names(`label=L${tag}`)).toEqual([a]);
    // LIKE wildcards in a search are literal characters.
    expect(await names(`q=%25${tag}`)).toEqual([]);
    expect((await api("GET", "/api/v1/marketplace/modules?sort=loudest", author.authorization)).status).toBe(400);
  });
});
