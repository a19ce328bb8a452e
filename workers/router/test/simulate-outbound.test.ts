/**
 * What leaves the router for a simulated event (issue 10, item 1): modules are still called
 * (that is the point of trying) but say `simulated: true` and carry the synthetic user; no
 * moderation webhook, no stored module session, no overlay publish to the live room.
 */
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createModerationRule } from "../../../test/workerd/fixtures.ts";
import { overlayRoom } from "../src/overlays/publish.ts";
import { getSession } from "../src/sessions/sessions.ts";
import { chat, fake, fakeUrl, installModule, send, texts, webhookAt } from "./support/router.ts";
import { simSetup } from "./support/simulate.ts";

describe("simulate and outbound calls", () => {
  it("never calls a moderation rule's webhook (a real event afterwards is the only call it gets)", async () => {
    const { community, simulateOk } = await simSetup();
    const path = `/moderation-hook/${crypto.randomUUID()}`;
    await createModerationRule(community.id, {
      name: "hook",
      matchType: "contains",
      pattern: "raid incoming",
      action: "webhook",
      actionConfig: { url: fakeUrl(path) },
    });
    const out = await simulateOk({ text: "raid incoming!" }, "moderated");
    // A real event on the same rule: once its call has arrived, a simulated call sent before it would have too.
    const real = { id: `8${Date.now()}`, username: "realuser" };
    expect((await send(chat(community, "raid incoming!", real))).status).toBe("moderated");
    await fake.waitFor(path, (r) => (r.body as { user: { id: string } }).user.id === real.id);
    const calls = await fake.requests(path);
    expect(calls.map((r) => (r.body as { user: { id: string } }).user.id)).toEqual([real.id]);
    expect(out.wouldDo).toContain("call the moderation webhook of rule hook");
  });

  it("calls a webhook module with simulated: true and the synthetic user, and stores no session", async () => {
    const { community, moderator, simulateOk } = await simSetup();
    const hook = webhookAt();
    await fake.script({
      method: "POST",
      path: hook.path,
      status: 200,
      // The module asks to keep its session: a simulated call still stores none.
      body: { replies: [{ type: "chat", text: "hi" }], session: true },
    });
    const mod = await installModule(community.id, { engine: "webhook", config: hook.config, commands: ["mod"] });
    const out = await simulateOk({ text: "!mod x", userId: "viewer" });
    expect(texts(out)).toEqual(["hi"]);
    const [req] = await fake.requests(hook.path);
    const body = JSON.parse(req!.raw) as { simulated: boolean; user: { id: string }; sessionId: string };
    expect(body.simulated).toBe(true);
    expect(body.user.id).toBe(`sim:${moderator.userId}:viewer`);
    // A module answering later must find no session, so it cannot speak in a real channel.
    expect(await getSession(env as never, body.sessionId)).toBeNull();
    expect(out.wouldDo).toContain(`keep a session for ${mod.name}`);
  });

  it("a live module call says simulated: false", async () => {
    const { community } = await simSetup();
    const hook = webhookAt();
    await fake.script({ method: "POST", path: hook.path, status: 200, body: { replies: [] } });
    await installModule(community.id, { engine: "webhook", config: hook.config, commands: ["livemod"] });
    await send(chat(community, "!livemod"));
    const [req] = await fake.requests(hook.path);
    expect(JSON.parse(req!.raw)).toMatchObject({ simulated: false });
  });

  it("returns a module's overlay replies as a preview and never publishes them to the live room", async () => {
    const { community, simulateOk } = await simSetup();
    const hook = webhookAt();
    const ticker = (text: string) => ({ replies: [{ type: "ticker", data: { text } }] });
    await fake.script({ method: "POST", path: hook.path, status: 200, body: ticker("simulated alert") });
    await installModule(community.id, { engine: "webhook", config: hook.config, commands: ["alert"] });
    const out = await simulateOk({ text: "!alert" });
    // A real event publishes; once its message is in the room, an earlier simulated one would be too.
    await fake.script({ method: "POST", path: hook.path, status: 200, body: ticker("real alert") });
    await send(chat(community, "!alert"));
    const room = overlayRoom(env as never, community.id);
    const recent = async () => ((await room.recent()) as { data: { text?: string } }[]).map((m) => m.data.text);
    await expect.poll(recent, { timeout: 5_000 }).toContain("real alert");
    expect(await recent()).toEqual(["real alert"]);
    expect(out.replies).toContainEqual({ type: "ticker", data: { text: "simulated alert" } });
    expect(out.wouldDo).toContain("publish 1 overlay update(s)");
  });
});
