import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { safeFetch } from "../../../lib/outbound/safe-fetch.ts";
import { createCommunity, createUserWithKey } from "../../../test/workerd/fixtures.ts";
import { MAX_MODULE_RESPONSE_BYTES } from "../src/engines/types.ts";
import type { Env } from "../src/env.ts";
import { runModule } from "../src/modules/run.ts";
import { api, chat, fake, fakeUrl, installModule, SECRET, send, texts, webhookAt } from "./support/router.ts";

type Out = { status: string; replies: unknown[]; execution?: { status: string; engine: string; error?: string } };
const LOCAL = { allowLoopback: true };
const deferrer = { waitUntil: () => {} };

/** A community with a webhook module at `url` (stored directly, as a row saved before the guard would be). */
async function moduleAt(url: string) {
  const community = await createCommunity();
  const mod = await installModule(community.id, {
    engine: "webhook",
    config: { url, secret: SECRET },
    commands: ["so"],
  });
  return { community, mod };
}

describe("outbound calls to community-controlled URLs", () => {
  it("fails a webhook module at a refused address with a clear error that says nothing of the target", async () => {
    for (const [url, reason] of [
      ["https://169.254.169.254/latest/meta-data/", /link-local/],
      ["https://10.0.0.7/hook", /private/],
      ["https://[::ffff:127.0.0.1]/hook", /IPv4-mapped/],
      ["http://example.com/hook", /only https/],
    ] as const) {
      const { community } = await moduleAt(url);
      const out = (await send(chat(community, "!so x"))) as Out;
      expect(out.replies).toEqual([]);
      expect(out.execution).toMatchObject({ status: "error", engine: "webhook" });
      expect(out.execution?.error).toMatch(/^module call failed: URL refused: /);
      expect(out.execution?.error).toMatch(reason);
    }
  });

  it("fails Lambda and OpenWhisk modules at refused endpoints the same way", async () => {
    const community = await createCommunity();
    await installModule(community.id, {
      engine: "lambda",
      config: {
        functionName: "f",
        region: "us-east-1",
        accessKeyId: "AKID",
        secretAccessKey: "s3cret",
        endpoint: "https://169.254.169.254",
      },
      commands: ["lam"],
    });
    await installModule(community.id, {
      engine: "openwhisk",
      config: { apiHost: "https://[fd00:ec2::254]", action: "a", auth: "u:k" },
      commands: ["ow"],
    });
    for (const [cmd, reason] of [
      ["#lam", /link-local/],
      ["#ow", /unique-local/],
    ] as const) {
      const out = (await send(chat(community, cmd))) as Out;
      expect(out.execution?.status, cmd).toBe("error");
      expect(out.execution?.error).toMatch(/^module call failed: URL refused: /);
      expect(out.execution?.error).toMatch(reason);
    }
  });

  it("refuses a loopback module server in a deployed worker even with ALLOW_LOOPBACK_OUTBOUND=true", async () => {
    const hook = webhookAt();
    await fake.script({
      method: "POST",
      path: hook.path,
      status: 200,
      body: { replies: [{ type: "chat", text: "hi" }] },
    });
    const { community, mod } = await moduleAt(hook.config.url);
    const deployed = { ...(env as unknown as Env), WADDLEBOT_ENV: undefined, ALLOW_LOOPBACK_OUTBOUND: "true" };
    const run = await runModule(
      deployed,
      deferrer,
      { ...mod, engine: "webhook", config: { ...hook.config, timeoutMs: 5_000 }, commands: ["so"], triggers: [] },
      community.id,
      chat(community, "!so x") as never,
      { level: "everyone" },
    );
    expect(run).toMatchObject({ status: "error", error: expect.stringMatching(/URL refused: loopback/) });
    expect(await fake.requests(hook.path)).toEqual([]);
    // The same module in this (local) test worker is reached.
    expect(texts((await send(chat(community, "!so x"))) as never)).toEqual(["hi"]);
  });

  it("does not follow a redirect: a 302 fails the execution and its target is never requested", async () => {
    const hook = webhookAt();
    const target = `/redirect-target/${crypto.randomUUID()}`;
    await fake.script({ method: "POST", path: hook.path, status: 302, headers: { location: fakeUrl(target) } });
    await fake.script({ path: target, status: 200, body: { replies: [{ type: "chat", text: "pwned" }] } });
    const { community } = await moduleAt(hook.config.url);
    const out = (await send(chat(community, "!so x"))) as Out;
    expect(out.execution).toMatchObject({ status: "error", error: expect.stringMatching(/redirect/) });
    expect(out.replies).toEqual([]);
    expect(await fake.requests(hook.path)).toHaveLength(1);
    expect(await fake.requests(target)).toEqual([]);
  });

  it("safeFetch (used by moderation webhooks too) refuses redirects and refused URLs before any request", async () => {
    const hook = `/moderation-hook/${crypto.randomUUID()}`;
    const target = `/redirect-target/${crypto.randomUUID()}`;
    await fake.script({ path: hook, status: 307, headers: { location: fakeUrl(target) } });
    const post = (url: string) => new Request(url, { method: "POST", body: "{}" });
    await expect(safeFetch(post(fakeUrl(hook)), { policy: LOCAL, timeoutMs: 5_000, maxBytes: 0 })).rejects.toThrow(
      /redirects are not followed/,
    );
    expect(await fake.requests(target)).toEqual([]);
    await expect(
      safeFetch(post(fakeUrl(hook)), { policy: { allowLoopback: false }, timeoutMs: 5_000 }),
    ).rejects.toMatchObject({ kind: "refused" });
    expect(await fake.requests(hook)).toHaveLength(1);
  });

  it("does not echo an unreachable endpoint's network error", async () => {
    const { community } = await moduleAt("http://127.0.0.1:9/nothing-listens-here");
    const out = (await send(chat(community, "!so x"))) as Out;
    expect(out.execution).toMatchObject({
      status: "error",
      error: "module call failed: the endpoint could not be reached",
    });
  });
});

describe("save-time checks of module and moderation URLs", () => {
  async function admin() {
    const community = await createCommunity();
    const { authorization } = await createUserWithKey({ communityId: community.id, role: "admin" });
    return { community, authorization, base: `/api/v1/communities/${community.id}` };
  }
  const lambda = (endpoint: string) => ({
    engine: "lambda",
    config: { functionName: "f", region: "us-east-1", accessKeyId: "AKID", secretAccessKey: "s3cret", endpoint },
  });
  const openwhisk = (apiHost: string) => ({ engine: "openwhisk", config: { apiHost, action: "a", auth: "u:k" } });

  it("refuses a module whose URL is refused (400 with the field and reason) and stores nothing", async () => {
    const { authorization, base } = await admin();
    for (const [body, field] of [
      [{ engine: "webhook", config: { url: "https://192.168.0.10/hook", secret: SECRET } }, "url"],
      [{ engine: "webhook", config: { url: "https://0xa9fea9fe/hook", secret: SECRET } }, "url"],
      [lambda("https://169.254.169.254"), "endpoint"],
      [openwhisk("https://[::ffff:7f00:1]:3233"), "apiHost"],
    ] as const) {
      const res = await api<{ path: string[]; message: string }[]>("POST", `${base}/modules`, authorization, {
        name: `m-${crypto.randomUUID().slice(0, 8)}`,
        ...body,
      });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.data[0]).toMatchObject({ path: ["config", field], message: expect.stringMatching(/^URL refused: /) });
    }
    expect((await api<unknown[]>("GET", `${base}/modules`, authorization)).data).toEqual([]);
  });

  it("accepts a loopback module server in local development (ALLOW_LOOPBACK_OUTBOUND=true)", async () => {
    const { authorization, base } = await admin();
    const res = await api("POST", `${base}/modules`, authorization, {
      name: `m-${crypto.randomUUID().slice(0, 8)}`,
      engine: "webhook",
      config: { url: "http://127.0.0.1:7777/hook", secret: SECRET },
    });
    expect(res.status).toBe(201);
  });

  it("refuses a moderation webhook at a refused address on create and on change; the rule stays", async () => {
    const { authorization, base } = await admin();
    const rules = `${base}/moderation/rules`;
    const rule = { name: "r", matchType: "contains", pattern: "spam", action: "webhook" };
    const bad = await api<{ path: string[] }[]>("POST", rules, authorization, {
      ...rule,
      actionConfig: { url: "https://100.64.1.1/hook" },
    });
    expect(bad.status).toBe(400);
    expect(bad.data[0]?.path).toEqual(["actionConfig", "url"]);
    expect((await api<unknown[]>("GET", rules, authorization)).data).toEqual([]);

    const good = await api<{ id: string }>("POST", rules, authorization, {
      ...rule,
      actionConfig: { url: "https://hooks.example.com/mod" },
    });
    expect(good.status).toBe(201);
    const patch = await api("PATCH", `${rules}/${good.data.id}`, authorization, {
      actionConfig: { url: "https://metadata.google.internal/computeMetadata/v1/" },
    });
    expect(patch.status).toBe(400);
    const [stored] = (await api<{ actionConfig: { url: string } }[]>("GET", rules, authorization)).data;
    expect(stored?.actionConfig.url).toBe("https://hooks.example.com/mod");
  });
});

describe("module answers are read with a byte cap", () => {
  it("fails an execution whose answer streams past the cap, and the next call is unaffected", async () => {
    const hook = webhookAt();
    await fake.script({ method: "POST", path: hook.path, status: 200, streamBytes: 8 * MAX_MODULE_RESPONSE_BYTES });
    await fake.script({
      method: "POST",
      path: hook.path,
      status: 200,
      body: { replies: [{ type: "chat", text: "ok" }] },
    });
    const { community } = await moduleAt(hook.config.url);
    const out = (await send(chat(community, "!so x"))) as Out;
    expect(out.execution).toMatchObject({
      status: "error",
      error: `module call failed: the answer is larger than ${MAX_MODULE_RESPONSE_BYTES} bytes`,
    });
    expect(out.replies).toEqual([]);
    expect(texts((await send(chat(community, "!so x"))) as never)).toEqual(["ok"]);
  });

  it("accepts an answer just under the cap", async () => {
    const hook = webhookAt();
    const pad = "p".repeat(MAX_MODULE_RESPONSE_BYTES - 100);
    await fake.script({
      method: "POST",
      path: hook.path,
      status: 200,
      body: { replies: [{ type: "chat", text: "big" }], pad },
    });
    const { community } = await moduleAt(hook.config.url);
    expect(texts((await send(chat(community, "!so x"))) as never)).toEqual(["big"]);
  });
});
