/**
 * Issue 11, end to end against the fake platform: community B connects Slack, Twitch (plus the
 * instance's bot account) and Discord through the OAuth flows; its events are answered with its
 * own tokens (the fake refuses the wrong kind, user, scope or workspace); the broadcaster's token
 * refreshes when Twitch says it expired; bad states store nothing; disconnect revokes.
 */
import { readdirSync } from "node:fs";
import path from "node:path";
import { DatabaseSync } from "node:sqlite";
import { describe, expect, inject, it } from "vitest";
import { fakeControl } from "../shared/fake-control.ts";
import { twitchChatNotification } from "../shared/payloads.ts";
import { slackHeaders, twitchHeaders } from "../shared/sign.ts";
import { adminSession, authorizeAtFake, callback, connect, connections, startConnect } from "./connect-flow.ts";

const urls = inject("urls");
const vars = inject("vars");
const fake = fakeControl(inject("fakePlatformUrl"));
const B = inject("emptyCommunityId");
const base = `/api/v1/communities/${B}/connections`;

const suffix = crypto.randomUUID().slice(0, 6).toUpperCase();
const TEAM = `TB${suffix}`;
const CHANNEL = `CB${suffix}`;
// The bot is not TWITCH_BOT_USER_ID: the demo community's moderation (no connection, app token,
// moderator_id = that id) must stay unchecked by the fake for the other e2e files.
const BOT = "100000088";
const BROADCASTER = String(200_000_000 + Math.floor(Math.random() * 1e8));
const GUILD = `1${String(Date.now()).padStart(17, "0")}`;

const session = await adminSession();

async function slackEvent(team: string, channel: string, text: string, user = "U0MEMBER") {
  const body = JSON.stringify({
    type: "event_callback",
    team_id: team,
    event_id: `Ev${crypto.randomUUID()}`,
    event: { type: "message", channel, user, text, ts: `${Date.now() / 1000}` },
  });
  const res = await fetch(`${urls.webhooks}/slack/events`, {
    method: "POST",
    body,
    headers: await slackHeaders(vars.SLACK_SIGNING_SECRET!, body),
  });
  expect(res.status).toBe(200);
}

async function twitchLine(broadcasterId: string, chatterId: string, text: string, messageId = crypto.randomUUID()) {
  const body = twitchChatNotification({ broadcasterId, chatterId, login: "viewer", name: "Viewer", messageId, text });
  const res = await fetch(`${urls.webhooks}/twitch/eventsub`, {
    method: "POST",
    body,
    headers: await twitchHeaders(vars.TWITCH_EVENTSUB_SECRET!, body),
  });
  expect(res.status).toBe(204);
  return messageId;
}

const view = async (platform: string) => (await connections(session, B)).find((c) => c.platform === platform)!;

describe("per-community connections through OAuth", () => {
  it("Slack: the workspace installs by OAuth v2 and its signed event is answered with its own token", async () => {
    const authorize = await startConnect(session, `${base}/slack`);
    expect(authorize.searchParams.get("redirect_uri")).toBe(`${urls.router}/connect/slack/callback`);
    expect(authorize.searchParams.get("scope")?.split(",")).toEqual(
      expect.arrayContaining(["chat:write", "commands", "channels:history", "users:read", "app_mentions:read"]),
    );
    const back = await callback(
      session,
      await authorizeAtFake(authorize, {
        fake_user: "U0OWNER.owner",
        fake_team: `${TEAM}:Bee workspace`,
        fake_channels: CHANNEL,
      }),
    );
    expect(back.status).toBe(302);
    expect(back.headers.get("location")).toBe(`${urls.router}/#/platforms?connected=slack`);
    const slack = await view("slack");
    expect(slack).toMatchObject({ source: "oauth", status: "active", accountId: TEAM, accountName: "Bee workspace" });
    expect(slack.missing).toEqual([]);

    await slackEvent(TEAM, CHANNEL, "!ping");
    const sent = await fake.waitFor(
      "/slack/chat.postMessage",
      (r) => (r.body as { channel?: string }).channel === CHANNEL,
    );
    expect(sent.body).toMatchObject({ text: "pong" });
    // B's own workspace token, not the global SLACK_BOT_TOKEN (which the fake refuses for B's channel).
    expect(sent.token).toMatchObject({ platform: "slack", kind: "bot", team: TEAM });
  });

  it("Slack: {user} is the member's display name, and a workspace admin has the admin chat level", async () => {
    await fake.slackMember({ team: TEAM, id: "U0ADMIN", is_admin: true, profile: { display_name: "Ada Admin" } });
    await fake.slackMember({ team: TEAM, id: "U0PLAIN", profile: { display_name: "Pat Plain" } });
    const name = `adm${suffix.toLowerCase()}`;
    const made = await fetch(`${urls.router}/api/v1/communities/${B}/commands`, {
      method: "POST",
      headers: { ...session, "content-type": "application/json" },
      body: JSON.stringify({ name, response: "hello {user}", minLevel: "admin" }),
    });
    expect(made.status).toBe(201);
    const before = Date.now();
    await slackEvent(TEAM, CHANNEL, `!${name}`, "U0PLAIN");
    await slackEvent(TEAM, CHANNEL, `!${name}`, "U0ADMIN");
    // This test's channel only: other files post "hello…" to Slack at the same time.
    const sent = await fake.waitFor(
      "/slack/chat.postMessage",
      (r) =>
        r.at >= before &&
        (r.body as { channel?: string }).channel === CHANNEL &&
        (r.body as { text?: string }).text?.startsWith("hello") === true,
    );
    expect(sent.body).toMatchObject({ channel: CHANNEL, text: "hello Ada Admin" });
    // users.info asked with B's token, as a form (a read method).
    const info = await fake.waitFor("/slack/users.info", (r) => (r.body as { user?: string }).user === "U0ADMIN");
    expect(info.token).toMatchObject({ team: TEAM });
  });

  it("Twitch: the bot authorised once, the broadcaster connects; !ping is answered as the bot with its user token", async () => {
    const bot = await connect(session, "/api/v1/connections/twitch-bot", { fake_user: `${BOT}.waddlebot` });
    expect(bot.searchParams.get("connected")).toBe("twitch-bot");
    const authorize = await startConnect(session, `${base}/twitch`);
    expect(authorize.searchParams.get("scope")?.split(" ")).toEqual(
      expect.arrayContaining(["channel:bot", "moderator:read:followers", "moderator:manage:banned_users"]),
    );
    const back = await callback(session, await authorizeAtFake(authorize, { fake_user: `${BROADCASTER}.streamerb` }));
    expect(back.headers.get("location")).toBe(`${urls.router}/#/platforms?connected=twitch`);

    // EventSub on connect: webhook transport with the app token, chat read as the bot.
    // Creations only: the shared fake also records other files' DELETEs here, which have no body.
    const subs = (await fake.requests("/helix/eventsub/subscriptions")).filter(
      (r) => r.method === "POST" && JSON.stringify((r.body as { condition?: unknown }).condition).includes(BROADCASTER),
    );
    expect(subs.map((s) => (s.body as { type: string }).type)).toEqual(
      expect.arrayContaining([
        "channel.follow",
        "channel.subscribe",
        "channel.cheer",
        "channel.raid",
        "channel.chat.message",
      ]),
    );
    expect(subs.every((s) => s.token?.kind === "app")).toBe(true);
    const chatSub = subs.find((s) => (s.body as { type: string }).type === "channel.chat.message")!;
    expect((chatSub.body as { condition: unknown }).condition).toEqual({
      broadcaster_user_id: BROADCASTER,
      user_id: BOT,
    });
    expect((chatSub.body as { transport: { callback: string } }).transport.callback).toMatch(/\/twitch\/eventsub$/);

    const twitch = await view("twitch");
    expect(twitch).toMatchObject({ status: "active", accountId: BROADCASTER, accountLogin: "streamerb" });
    expect(twitch.subscriptions.length).toBe(subs.length);

    const messageId = await twitchLine(BROADCASTER, "424242", "!ping");
    const sent = await fake.waitFor(
      "/helix/chat/messages",
      (r) => (r.body as { reply_parent_message_id?: string }).reply_parent_message_id === messageId,
    );
    expect(sent.body).toMatchObject({ broadcaster_id: BROADCASTER, sender_id: BOT, message: "pong" });
    expect(sent.token).toMatchObject({ platform: "twitch", kind: "user", userId: BOT });
  });

  it("a moderation timeout uses the broadcaster's token, refreshed when Twitch says it expired", async () => {
    const word = `spam${suffix.toLowerCase()}`;
    const rule = await fetch(`${urls.router}/api/v1/communities/${B}/moderation/rules`, {
      method: "POST",
      headers: { ...session, "content-type": "application/json" },
      body: JSON.stringify({
        name: "no spam",
        matchType: "word",
        pattern: word,
        action: "timeout",
        actionConfig: { durationSec: 60 },
      }),
    });
    expect(rule.status).toBe(201);
    const banOf = (chatter: string) => (r: { body: unknown; status?: number }) =>
      (r.body as { data?: { user_id?: string } }).data?.user_id === chatter;

    await twitchLine(BROADCASTER, "5550001", `buy ${word}`);
    const first = await fake.waitFor("/helix/moderation/bans?", banOf("5550001"));
    expect(first.path).toContain(`moderator_id=${BROADCASTER}`);
    expect(first.token).toMatchObject({ kind: "user", userId: BROADCASTER });

    await fake.expireUser(BROADCASTER);
    const before = Date.now();
    await twitchLine(BROADCASTER, "5550002", `buy ${word}`);
    const refresh = await fake.waitFor(
      "/oauth2/token",
      (r) => r.at >= before && (r.body as { grant_type?: string }).grant_type === "refresh_token",
    );
    expect(refresh).toBeTruthy();
    const tries = await fake.waitFor("/helix/moderation/bans?", (r) => banOf("5550002")(r) && r.at > refresh.at);
    expect(tries.token).toMatchObject({ kind: "user", userId: BROADCASTER });
  });

  it("Discord: the bot install makes the callback's guild the community's and registers its slash commands there", async () => {
    const authorize = await startConnect(session, `${base}/discord`);
    expect(authorize.searchParams.get("scope")).toBe("bot applications.commands");
    const permissions = BigInt(authorize.searchParams.get("permissions")!);
    for (const bit of [2n, 11n, 13n, 16n, 28n, 40n]) expect(permissions & (1n << bit)).not.toBe(0n);
    const back = await callback(
      session,
      await authorizeAtFake(authorize, { fake_user: "300.owner", fake_guild: `${GUILD}:Bee server` }),
    );
    expect(back.headers.get("location")).toBe(`${urls.router}/#/platforms?connected=discord`);
    await fake.waitFor(`/discord/applications/${vars.DISCORD_APPLICATION_ID}/guilds/${GUILD}/commands`);
    expect(await view("discord")).toMatchObject({ status: "active", accountId: GUILD, accountName: "Bee server" });
  });

  it("names in plain words the scopes the broadcaster did not grant", async () => {
    const fewer = [
      "channel:bot",
      "moderator:read:followers",
      "channel:read:subscriptions",
      "bits:read",
      "moderator:manage:chat_messages",
      "moderator:manage:shoutouts",
    ];
    await connect(session, `${base}/twitch`, { fake_user: `${BROADCASTER}.streamerb`, fake_scopes: fewer.join(" ") });
    const twitch = await view("twitch");
    expect(twitch.missing.map((m) => m.scope)).toEqual(["moderator:manage:banned_users"]);
    expect(twitch.problems).toContain(
      "Twitch: the broadcaster has not granted moderator:manage:banned_users — moderation (timeouts and bans) will be refused.",
    );
  });

  it("keeps no token in clear text in any D1 table", async () => {
    const tokens = (await fake.tokens()).map((t) => t.token);
    expect(tokens.length).toBeGreaterThan(5);
    const dir = path.join(inject("d1Dir"), "miniflare-D1DatabaseObject");
    const files = readdirSync(dir).filter((f) => f.endsWith(".sqlite"));
    expect(files.length).toBeGreaterThan(0);
    let sealedSeen = 0;
    for (const file of files) {
      const db = new DatabaseSync(path.join(dir, file), { readOnly: true });
      try {
        const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[];
        for (const { name } of tables) {
          const dump = JSON.stringify(db.prepare(`SELECT * FROM "${name.replace(/"/g, '""')}"`).all());
          for (const token of tokens) expect(dump.includes(token), `${token.slice(0, 12)}… in ${name}`).toBe(false);
          if (name === "platform_connections") sealedSeen += (dump.match(/"v1\.[0-9a-f]{8}\./g) ?? []).length;
        }
      } finally {
        db.close();
      }
    }
    // Access and refresh tokens of Slack, Twitch and Discord, sealed.
    expect(sealedSeen).toBeGreaterThanOrEqual(4);
  });
});

describe("OAuth callback bad input: 400 and nothing stored", () => {
  const state = () =>
    Array.from(crypto.getRandomValues(new Uint8Array(32)), (b) => b.toString(16).padStart(2, "0")).join("");

  it("an unknown, malformed, reused or other platform's state is refused", async () => {
    const before = await connections(session, B);
    for (const q of [`state=${state()}&code=code-x`, "state=not-hex&code=x", "code=x"]) {
      const res = await callback(session, `${urls.router}/connect/slack/callback?${q}`);
      expect(res.status, q).toBe(400);
    }
    // A state issued for Slack, presented at Twitch's callback.
    const slackBack = await authorizeAtFake(await startConnect(session, `${base}/slack`), { fake_team: `${TEAM}:x` });
    const twitchUrl = new URL(slackBack);
    twitchUrl.pathname = "/connect/twitch/callback";
    expect((await callback(session, twitchUrl)).status).toBe(400);

    // Reuse: a fresh flow completes once, then the same callback URL is refused.
    const again = await authorizeAtFake(await startConnect(session, `${base}/slack`), {
      fake_team: `${TEAM}:Bee workspace`,
      fake_channels: CHANNEL,
    });
    expect((await callback(session, again)).status).toBe(302);
    expect((await callback(session, again)).status).toBe(400);
    const after = await connections(session, B);
    expect(after.map((c) => [c.platform, c.accountId, c.status])).toEqual(
      before.map((c) => [c.platform, c.accountId, c.status]),
    );
  });

  it("the person cancelling, or the platform refusing the code, goes back to the portal with the reason and stores nothing", async () => {
    const denied = await connect(session, `/api/v1/connections/twitch-bot`, { fake_deny: "1" });
    expect(denied.searchParams.get("error")).toBe("The user denied you access");

    await fake.script({ path: "/slack/oauth.v2.access", status: 200, body: { ok: false, error: "bad_redirect_uri" } });
    const other = crypto.randomUUID();
    const refused = await connect(session, `${base}/slack`, { fake_team: `T${other.slice(0, 6)}:Other` });
    expect(refused.searchParams.get("connect")).toBe("slack");
    expect(refused.searchParams.get("error")).toContain("bad_redirect_uri");
    expect((await view("slack")).accountId).toBe(TEAM);
  });
});

describe("disconnect", () => {
  it("revokes at the platform, deletes the EventSub subscriptions and stops delivery", async () => {
    const subs = (await view("twitch")).subscriptions.length;
    const del = await fetch(`${urls.router}${base}/twitch`, { method: "DELETE", headers: session });
    expect(del.status).toBe(200);
    await fake.waitFor("/oauth2/revoke", (r) => r.token?.userId === BROADCASTER || String(r.raw).includes("token="));
    expect(
      (await fake.requests("/helix/eventsub/subscriptions?id=")).filter((r) => r.method === "DELETE").length,
    ).toBeGreaterThanOrEqual(subs);

    const slackDel = await fetch(`${urls.router}${base}/slack`, { method: "DELETE", headers: session });
    expect(slackDel.status).toBe(200);
    const revoked = await fake.waitFor("/slack/auth.revoke");
    expect(revoked.token).toMatchObject({ team: TEAM });
    expect((await view("slack")).status).toBe("not_connected");
    expect((await view("twitch")).status).toBe("not_connected");

    const test = await fetch(`${urls.router}${base}/slack/test`, {
      method: "POST",
      headers: { ...session, "content-type": "application/json" },
      body: JSON.stringify({ channelId: CHANNEL }),
    });
    expect(test.status).toBe(404);

    // An event from the disconnected workspace, then one from the demo workspace as a marker:
    // once the marker is answered, the first was processed too, and nothing went to B's channel.
    const after = Date.now();
    await slackEvent(TEAM, CHANNEL, "!ping");
    const marker = `CM${suffix}`;
    await slackEvent(vars.DEMO_SLACK_TEAM_ID!, marker, "!ping");
    await fake.waitFor("/slack/chat.postMessage", (r) => (r.body as { channel?: string }).channel === marker);
    const toB = (await fake.requests("/slack/chat.postMessage")).filter(
      (r) => r.at >= after && (r.body as { channel?: string }).channel === CHANNEL,
    );
    expect(toB).toEqual([]);

    // The same for the disconnected Twitch channel, with the demo channel as the marker.
    await twitchLine(BROADCASTER, "424243", "!ping");
    const demoPing = await twitchLine(vars.DEMO_TWITCH_BROADCASTER_ID!, "424244", "!ping");
    await fake.waitFor(
      "/helix/chat/messages",
      (r) => (r.body as { reply_parent_message_id?: string }).reply_parent_message_id === demoPing,
    );
    const toBroadcaster = (await fake.requests("/helix/chat/messages")).filter(
      (r) => r.at >= after && (r.body as { broadcaster_id?: string }).broadcaster_id === BROADCASTER,
    );
    expect(toBroadcaster).toEqual([]);
  });
});
