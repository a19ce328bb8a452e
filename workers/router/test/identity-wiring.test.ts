import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { hashPassword } from "../../../lib/crypto/password.ts";
import { createDb } from "../../../lib/db/client.ts";
import { communityMembers, users } from "../../../lib/db/schema/index.ts";
import type { ChatEvent, EventOutcome } from "../../../lib/events/chat-event.ts";
import type { RouterRpc } from "../../../lib/rpc.ts";
import { fakeControl } from "../../../test/shared/fake-control.ts";
import { snowflake } from "../../../test/shared/ids.ts";
import { createCommunity, createUserWithKey } from "../../../test/workerd/fixtures.ts";
import { call } from "../../../test/workerd/self.ts";

const router = (exports as unknown as { default: RouterRpc }).default;
const fake = fakeControl(env.FAKE_PLATFORM_URL);
const short = () => crypto.randomUUID().slice(0, 8);

function chat(
  platform: ChatEvent["platform"],
  communityPlatformId: string,
  user: { id: string; username: string },
  text: string,
): ChatEvent {
  return {
    id: crypto.randomUUID(),
    platform,
    type: "message",
    communityPlatformId,
    channel: { id: "c1" },
    user: { ...user, roles: [], badges: [] },
    text,
    data: {},
    reply: { kind: "none" },
    receivedAt: new Date().toISOString(),
  };
}

const said = (outcome: EventOutcome) => outcome.replies.map((r) => (r.type === "chat" ? r.text : "")).join("\n");

describe("the identity worker behind the router's origin", () => {
  it("serves identity endpoints (API keys) on the router with the same Bearer key", async () => {
    const { authorization } = await createUserWithKey({});
    const res = await call("/api/v1/keys", { headers: { authorization } });
    expect(res.status).toBe(200);
    const body = await res.json<{ data: { prefix: string }[] }>();
    expect(body.data[0]?.prefix).toMatch(/^wbk_/);
  });

  it("publishes one OpenAPI document with the router's and identity's paths", async () => {
    const doc = await (await call("/api/v1/openapi.json")).json<{ paths: Record<string, unknown> }>();
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        "/api/v1/auth/login",
        "/api/v1/keys",
        "/api/v1/audit",
        "/api/v1/communities/{communityId}/commands",
        "/api/v1/communities/{communityId}/overlays",
      ]),
    );
  });

  it("refuses a cookie-authenticated write without the CSRF token with 403, and accepts it with", async () => {
    const community = await createCommunity();
    const email = `csrf-${short()}@waddlebot.test`;
    const userId = crypto.randomUUID();
    await createDb(env.DB)
      .insert(users)
      .values({ id: userId, email, passwordHash: await hashPassword("correct horse"), displayName: "C" });
    await createDb(env.DB).insert(communityMembers).values({ communityId: community.id, userId, role: "admin" });
    const login = await call("/api/v1/auth/login", {
      method: "POST",
      headers: { "content-type": "application/json", "cf-connecting-ip": `10.9.${Math.floor(Math.random() * 250)}.1` },
      body: JSON.stringify({ email, password: "correct horse" }),
    });
    expect(login.status).toBe(200);
    const cookies = Object.fromEntries(
      login.headers.getSetCookie().map((l) => l.split(";")[0]!.split("=") as [string, string]),
    );
    const cookie = `wb_session=${cookies.wb_session}; wb_csrf=${cookies.wb_csrf}`;
    const body = JSON.stringify({ name: `hi${short()}`, response: "hello {user}" });
    const path = `/api/v1/communities/${community.id}/commands`;
    const headers = { cookie, "content-type": "application/json" };
    expect((await call(path, { method: "POST", headers, body })).status).toBe(403);
    const ok = await call(path, { method: "POST", headers: { ...headers, "x-csrf-token": cookies.wb_csrf! }, body });
    expect(ok.status).toBe(201);
  });
});

describe("!identity and !verify in chat", () => {
  it("links a Twitch account to a Discord account: code by Discord DM, !verify typed back on Twitch", async () => {
    const community = await createCommunity();
    const twitchUser = { id: `5${Date.now() % 1e9}`, username: `tw${short()}` };
    const discordUser = { id: snowflake(), username: `dc${short()}` };

    const started = await router.handleEvent(
      chat("twitch", community.platformIds.twitch, twitchUser, `!identity link discord ${discordUser.id}`),
    );
    expect(started.status).toBe("processed");
    expect(said(started)).toContain("!verify");

    const dm = await fake.waitFor(`/discord/channels/dm-${discordUser.id}/messages`);
    const code = (dm.body as { content: string }).content.match(/code is ([A-Z0-9]{6})\b/)?.[1];
    expect(code).toMatch(/^[2-9A-HJKMNP-Z]{6}$/);

    // The identity that asked types the code it read in the target's DM (identity worker, link-policy.ts).
    const verified = await router.handleEvent(
      chat("twitch", community.platformIds.twitch, twitchUser, `!verify ${code}`),
    );
    expect(said(verified)).toContain("Linked");

    const links = await router.handleEvent(chat("twitch", community.platformIds.twitch, twitchUser, "!identity"));
    expect(said(links)).toContain(`Discord ${discordUser.id}`);
  });

  it("answers a malformed !identity with its usage and sends nothing", async () => {
    const community = await createCommunity();
    const user = { id: `5${Date.now() % 1e8}9`, username: `tw${short()}` };
    const outcome = await router.handleEvent(
      chat("twitch", community.platformIds.twitch, user, "!identity link myspace bob"),
    );
    expect(said(outcome)).toMatch(/^Usage: !identity link/);
  });
});
