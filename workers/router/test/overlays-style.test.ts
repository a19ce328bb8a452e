import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { ChatEvent } from "../../../lib/events/chat-event.ts";
import { createCommunity, createUserWithKey } from "../../../test/workerd/fixtures.ts";
import { alertFromPlatformEvent } from "../src/overlays/publish.ts";
import { json, listOverlays, openSocket, pathOf } from "./overlays-support.ts";

const worker = (exports as unknown as { default: { fetch(r: Request): Promise<Response> } }).default;

async function setup() {
  const c = await createCommunity();
  const admin = await createUserWithKey({ communityId: c.id, role: "admin" });
  const style = `/api/v1/communities/${c.id}/overlays/style`;
  return { c, admin, style };
}
const dataOf = async (res: Response | Promise<Response>) => ((await (await res).json()) as { data: unknown }).data;
const cssOf = async (pagePath: string) => {
  const res = await worker.fetch(new Request(`http://router.test${pagePath}/style.css`));
  return { status: res.status, type: res.headers.get("content-type"), text: await res.text() };
};

describe("the overlays' style, per community", () => {
  it("defaults, saves, and reaches the overlay pages' stylesheet", async () => {
    const { c, admin, style } = await setup();
    expect(await dataOf(json("GET", style, admin.authorization))).toMatchObject({
      font: "system",
      accentColor: "#7c5cff",
      position: "top",
      alertDurationSec: 8,
    });
    const saved = await json("PUT", style, admin.authorization, {
      font: "serif",
      accentColor: "#ff0066",
      position: "bottom",
    });
    expect(saved.status).toBe(200);
    const [ticker] = await listOverlays(c.id, admin.authorization);
    const page = await worker.fetch(new Request(`http://router.test${pathOf(ticker!.url)}`));
    expect(await page.text()).toContain(`href="ticker/style.css"`);
    const css = await cssOf(pathOf(ticker!.url));
    expect(css.status).toBe(200);
    expect(css.type).toContain("text/css");
    expect(css.text).toContain("--accent: #ff0066");
    expect(css.text).toContain("Georgia");
    expect(css.text).toContain("align-items: flex-end");
  });

  it("refuses a colour that is not #rrggbb (it is written into CSS) and stores nothing", async () => {
    const { admin, style } = await setup();
    for (const bad of [
      { textColor: "red; } body { display: none" },
      { panelOpacity: 2 },
      { font: "Comic Sans" },
      { x: 1 },
    ]) {
      const res = await json("PUT", style, admin.authorization, bad);
      expect(res.status, JSON.stringify(bad)).toBe(400);
    }
    expect(await dataOf(json("GET", style, admin.authorization))).toMatchObject({
      textColor: "#ffffff",
      font: "system",
    });
  });

  it("a moderator reads but cannot change it; an unknown token gets no stylesheet", async () => {
    const { c, style } = await setup();
    const mod = await createUserWithKey({ communityId: c.id, role: "moderator" });
    expect((await json("GET", style, mod.authorization)).status).toBe(200);
    expect((await json("PUT", style, mod.authorization, { font: "mono" })).status).toBe(403);
    expect((await cssOf(`/overlay/${"0".repeat(40)}/ticker`)).status).toBe(404);
  });

  it("platform alerts stay up as long as the style says", async () => {
    const { c, admin, style } = await setup();
    await json("PUT", `/api/v1/communities/${c.id}/overlays/alerts`, admin.authorization, { follow: true });
    await json("PUT", style, admin.authorization, { alertDurationSec: 20 });
    const [ticker] = await listOverlays(c.id, admin.authorization);
    const socket = await openSocket(pathOf(ticker!.url));
    await socket.take(1);
    const follow: ChatEvent = {
      id: crypto.randomUUID(),
      platform: "twitch",
      type: "follow",
      communityPlatformId: "1",
      channel: { id: "1" },
      user: { id: "9", username: "penguin", roles: [], badges: [] },
      data: {},
      reply: { kind: "none" },
      receivedAt: new Date().toISOString(),
    };
    await alertFromPlatformEvent(env, c.id, follow);
    const [frame] = await socket.take(1);
    expect(frame!.data.durationMs).toBe(20_000);
  });
});
