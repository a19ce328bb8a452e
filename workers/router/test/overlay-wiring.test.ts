import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { ChatEvent } from "../../../lib/events/chat-event.ts";
import type { RouterRpc } from "../../../lib/rpc.ts";
import { createCommunity, createUserWithKey } from "../../../test/workerd/fixtures.ts";
import { overlayRoom } from "../src/overlays/publish.ts";
import { routeOverlayReplies } from "../src/overlays/route-overlay-replies.ts";
import { json } from "./overlays-support.ts";

const router = (exports as unknown as { default: RouterRpc }).default;

async function recentTypes(communityId: string) {
  const recent = (await overlayRoom(env, communityId).recent()) as { type: string; data: Record<string, unknown> }[];
  return recent.map((m) => ({ type: m.type, data: m.data }));
}

describe("overlay replies and alerts leave the router", () => {
  it("publishes module replies of type ticker, media, general and form to the community's room", async () => {
    const { id } = await createCommunity();
    await routeOverlayReplies(env as never, id, [
      { type: "chat", text: "not for overlays" },
      { type: "ticker", data: { text: "New follower!" } },
      { type: "media", data: { title: "Song", artist: "Band" } },
      { type: "general", data: { html: "<p>Hi<script>alert(1)</script></p>" } },
      { type: "form", data: { html: "<p>Vote</p>" } },
    ]);
    const got = await recentTypes(id);
    expect(got.map((m) => m.type)).toEqual(["ticker", "media", "general", "general"]);
    expect(JSON.stringify(got)).not.toContain("<script>");
  });

  it("drops an invalid reply and still publishes the others", async () => {
    const { id } = await createCommunity();
    await routeOverlayReplies(env as never, id, [
      { type: "ticker", data: { nope: true } },
      { type: "ticker", data: { text: "ok" } },
    ]);
    expect((await recentTypes(id)).map((m) => m.data.text)).toEqual(["ok"]);
  });

  it("raises a ticker alert for a Twitch follow that reaches handleEvent, when alerts are on", async () => {
    const community = await createCommunity();
    const { authorization } = await createUserWithKey({ communityId: community.id, role: "admin" });
    expect(
      (await json("PUT", `/api/v1/communities/${community.id}/overlays/alerts`, authorization, { follow: true }))
        .status,
    ).toBe(200);
    const follow: ChatEvent = {
      id: crypto.randomUUID(),
      platform: "twitch",
      type: "follow",
      communityPlatformId: community.platformIds.twitch,
      channel: { id: community.platformIds.twitch },
      user: { id: "77", username: "newfan", displayName: "NewFan", roles: [], badges: [] },
      data: {},
      reply: { kind: "none" },
      receivedAt: new Date().toISOString(),
    };
    await router.handleEvent(follow);
    // The alert is published from waitUntil: poll the room briefly.
    for (let i = 0; i < 50 && (await recentTypes(community.id)).length === 0; i++) {
      await new Promise((r) => setTimeout(r, 20));
    }
    const [alert] = await recentTypes(community.id);
    expect(alert?.type).toBe("ticker");
    expect(String(alert?.data.text)).toContain("NewFan");
  });
});
