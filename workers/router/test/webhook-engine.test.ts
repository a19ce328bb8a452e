import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { verifyHmacSha256Hex } from "../../../lib/crypto/hmac.ts";
import { createCommunity } from "../../../test/workerd/fixtures.ts";
import { DEFAULT_MODULE_TIMEOUT_MS, WebhookConfig } from "../src/modules/config.ts";
import { getSession } from "../src/sessions/sessions.ts";
import { chat, fake, installModule, SECRET, send, texts, webhookAt } from "./support/router.ts";

async function moduleCommand(answer: { status?: number; body?: unknown; delayMs?: number }, timeoutMs?: number) {
  const community = await createCommunity();
  const hook = webhookAt(timeoutMs);
  await fake.script({
    method: "POST",
    path: hook.path,
    status: answer.status ?? 200,
    body: answer.body,
    delayMs: answer.delayMs,
  });
  const mod = await installModule(community.id, { engine: "webhook", config: hook.config, commands: ["so"] });
  return { community, hook, mod };
}

describe("webhook modules", () => {
  it("POSTs the event signed with HMAC-SHA256 over timestamp.body and returns the module's replies", async () => {
    const { community, hook, mod } = await moduleCommand({
      body: {
        replies: [
          { type: "chat", text: "Go follow bob!" },
          { type: "ticker", data: { text: "bob" } },
        ],
      },
    });
    const out = await send(chat(community, '!so "bob the builder"', { id: "u-caller", username: "caller" }));
    expect(out.status).toBe("processed");
    expect(texts(out)).toEqual(["Go follow bob!"]);
    expect(out.replies).toContainEqual({ type: "ticker", data: { text: "bob" } });

    const [req] = await fake.requests(hook.path);
    const ts = req!.headers["x-waddlebot-timestamp"]!;
    const sig = req!.headers["x-waddlebot-signature"]!;
    expect(sig).toMatch(/^sha256=[0-9a-f]{64}$/);
    expect(await verifyHmacSha256Hex(SECRET, `${ts}.${req!.raw}`, sig.slice(7))).toBe(true);
    expect(await verifyHmacSha256Hex("another-secret-0000000", `${ts}.${req!.raw}`, sig.slice(7))).toBe(false);
    expect(req!.headers).toMatchObject({ "x-waddlebot-module": mod.name, "x-waddlebot-community": community.id });
    const body = JSON.parse(req!.raw);
    expect(body).toMatchObject({
      communityId: community.id,
      platform: "discord",
      user: { id: "u-caller", username: "caller", level: "everyone" },
      command: { prefix: "!", name: "so", args: ["bob the builder"] },
    });
    expect(body.sessionId).toMatch(/^sess_[0-9a-f]{32}$/);
    expect(req!.headers["x-waddlebot-session"]).toBe(body.sessionId);
    // The module did not ask to keep its session: no RouterSession object was written.
    expect(await getSession(env as never, body.sessionId)).toBeNull();
  });

  it("keeps the session only when the module's answer asks for it, with the event's context", async () => {
    const { community, hook, mod } = await moduleCommand({
      body: { replies: [{ type: "chat", text: "later!" }], session: true },
    });
    const out = await send(chat(community, "!so bob", { id: "u-later", username: "later" }));
    expect(texts(out)).toEqual(["later!"]);
    const [req] = await fake.requests(hook.path);
    const { sessionId } = JSON.parse(req!.raw) as { sessionId: string };
    // The session carries the event's context for an answer that comes later.
    expect((await getSession(env as never, sessionId))?.context).toMatchObject({
      communityId: community.id,
      userId: "u-later",
      command: "!so",
      moduleId: mod.id,
    });
  });

  it("gives up on a module that does not answer within its timeout", async () => {
    const { community } = await moduleCommand({ body: { replies: [] }, delayMs: 3_000 }, 200);
    const out = (await send(chat(community, "!so x"))) as { status: string; replies: unknown[]; execution?: unknown };
    expect(out).toMatchObject({
      status: "processed",
      replies: [],
      execution: { status: "timeout", engine: "webhook" },
    });
  });

  it("defaults the timeout to 5 s", () => {
    expect(DEFAULT_MODULE_TIMEOUT_MS).toBe(5_000);
    expect(WebhookConfig.parse({ url: "https://m.example", secret: SECRET }).timeoutMs).toBe(5_000);
  });

  it("treats an answer that is not JSON, or JSON of the wrong shape, as an error", async () => {
    for (const body of [
      "<html>oops</html>",
      { replies: [{ type: "chat", text: "" }] },
      { replies: [{ type: "nuke" }] },
    ]) {
      const { community } = await moduleCommand({ body });
      const out = (await send(chat(community, "!so x"))) as {
        replies: unknown[];
        execution?: { status: string; error: string };
      };
      expect(out.replies).toEqual([]);
      expect(out.execution?.status).toBe("error");
      expect(out.execution?.error).toMatch(/not JSON|invalid/);
    }
  });

  it("treats an HTTP error answer as an error", async () => {
    const { community } = await moduleCommand({ status: 500, body: { replies: [{ type: "chat", text: "x" }] } });
    const out = (await send(chat(community, "!so x"))) as { execution?: { status: string; error: string } };
    expect(out.execution).toMatchObject({ status: "error", error: "module answered HTTP 500" });
  });

  it("refuses a module config without a proper URL or secret", () => {
    expect(WebhookConfig.safeParse({ url: "ftp://x", secret: SECRET }).success).toBe(false);
    expect(WebhookConfig.safeParse({ url: "https://x.example", secret: "short" }).success).toBe(false);
    expect(WebhookConfig.safeParse({ url: "https://x.example", secret: SECRET, timeoutMs: 60_000 }).success).toBe(
      false,
    );
  });
});
