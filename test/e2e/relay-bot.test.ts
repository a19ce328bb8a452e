import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sealContext } from "../../lib/crypto/sealed-columns.ts";
import { type SecretBoxConfig, seal } from "../../lib/crypto/secret-box.ts";
import { eventually } from "../shared/sign.ts";
import { ngircdMissing } from "../support/ngircd.ts";
import { type RelaySystem, startRelaySystem } from "./relay-system.ts";

const BOT = { id: "77000077", login: "waddlebotbot" };
const newToken = (label: string) => `fake-twitch-bot-${label}-${crypto.randomUUID().slice(0, 8)}`;

/**
 * The relay logged in to IRC as the instance's Twitch bot. ngircd stands in for Twitch's login
 * check: it admits only `PASS oauth:<the token it is told>` (its [Global] Password), and the fake
 * platform answers the token check the library makes first (Twitch's /oauth2/validate, reached
 * through twurple's TWURPLE_MOCK_API_PORT). The bot authorises at the fake's OAuth pages and is
 * stored sealed, as the connections flow stores it; the coordinator hands the token over.
 */
describe.skipIf(ngircdMissing)("gateway relay: Twitch IRC as the bot", () => {
  let sys: RelaySystem;
  let broadcasterId: string;
  const logs: string[] = [];
  const first = newToken("first");

  beforeAll(async () => {
    sys = await startRelaySystem({ ircPassword: `oauth:${first}` });
    process.env.TWURPLE_MOCK_API_PORT = new URL(sys.fakeUrl).port;
    broadcasterId = await sys.connectTwitch("botchannel");
  }, 60_000);
  afterAll(async () => {
    delete process.env.TWURPLE_MOCK_API_PORT;
    await sys?.close();
  });

  const fakePost = (path: string, body?: unknown) =>
    fetch(`${sys.fakeUrl}${path}`, { method: "POST", body: body === undefined ? undefined : JSON.stringify(body) });

  /** The bot authorises at the (fake) Twitch; the access token it gets is chosen in advance. */
  async function authoriseBot(access: string, refreshToken?: string) {
    await fakePost("/_fake/next-token", { access });
    const redirect_uri = "http://127.0.0.1:9/connect/twitch-bot/callback";
    const scope = "chat:read user:read:chat user:write:chat user:bot user:manage:whispers";
    const q = new URLSearchParams({ fake_user: `${BOT.id}.${BOT.login}`, scope, redirect_uri, state: "s" });
    const page = await fetch(`${sys.fakeUrl}/oauth2/authorize?${q}`, { redirect: "manual" });
    const code = new URL(page.headers.get("location")!).searchParams.get("code")!;
    const res = await fetch(`${sys.fakeUrl}/oauth2/token`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ grant_type: "authorization_code", code, redirect_uri }),
    });
    const t = (await res.json()) as { access_token: string; refresh_token: string; scope: string[] };
    expect(t.access_token).toBe(access);
    // Stored as lib/connections/store.ts saveBot stores it: sealed, bound to table, column and row.
    const env = sys.vars as unknown as SecretBoxConfig;
    const sealed = (column: string, value: string) =>
      seal(env, value, sealContext({ table: "instance_credentials", column }, "twitch_bot"));
    await sys.db
      .prepare(
        `INSERT INTO instance_credentials (id, account_id, account_login, scopes, status, access_token, refresh_token, token_expires_at, updated_at)
         VALUES ('twitch_bot', ?, ?, ?, 'active', ?, ?, ?, ?)
         ON CONFLICT(id) DO UPDATE SET status = 'active', access_token = excluded.access_token,
           refresh_token = excluded.refresh_token, token_expires_at = excluded.token_expires_at`,
      )
      .bind(
        BOT.id,
        BOT.login,
        JSON.stringify(t.scope),
        await sealed("access_token", t.access_token),
        await sealed("refresh_token", refreshToken ?? t.refresh_token),
        // As far as our record knows, the token is good for hours.
        Date.now() + 4 * 3600_000,
        Date.now(),
      )
      .run();
  }

  const pingAnswered = async () => {
    const chatter = await sys.irc.user(`viewer${Math.floor(Math.random() * 1e4)}`);
    await chatter.join("botchannel");
    await chatter.waitMember("botchannel", BOT.login);
    chatter.say("botchannel", "!ping");
    const said = Date.now();
    const sent = await sys.fake.waitFor(
      "/helix/chat/messages",
      (r) => r.at >= said && (r.body as { broadcaster_id?: string }).broadcaster_id === broadcasterId,
      15_000,
    );
    expect(sent.body).toMatchObject({ message: "pong" });
    chatter.quit();
  };
  const refreshes = async () =>
    (await sys.fake.requests("/oauth2/token")).filter(
      (r) => (r.body as { grant_type?: string }).grant_type === "refresh_token",
    );

  it("logs in with the bot's valid token, joins as the bot and forwards !ping", async () => {
    await authoriseBot(first);
    const relay = await sys.relay({ TWITCH_CLIENT_ID: sys.vars.TWITCH_CLIENT_ID! });
    await pingAnswered();
    expect(relay.metrics).toMatchObject({ twitchLogin: BOT.login, twitchLoginRefused: 0 });
    await relay.stop();
  });

  it("refreshes a token Twitch refuses (expired early) once, and logs in with the new one", async () => {
    const refreshed = newToken("refreshed");
    await fakePost("/_fake/next-token", { access: refreshed });
    await sys.irc.setPassword(`oauth:${refreshed}`);
    await fakePost(`/_fake/expire?user=${BOT.id}`); // Twitch no longer takes `first`
    const relay = await sys.relay(
      { TWITCH_CLIENT_ID: sys.vars.TWITCH_CLIENT_ID! },
      { log: (msg, fields) => logs.push(`${msg} ${JSON.stringify(fields ?? {})}`) },
    );
    // Refused login → report → refresh → reconnect with backoff: seconds.
    await eventually(async () => (relay.twitch.held().includes("botchannel") ? true : undefined), 20_000);
    expect(relay.metrics).toMatchObject({ twitchLogin: BOT.login, twitchLoginRefused: 1 });
    expect(await refreshes()).toHaveLength(1);
    await pingAnswered();
  });

  it("a login the server refuses whose refresh Twitch refuses too: reported, the bot marked revoked, the relay carries on anonymously", async () => {
    const relay = sys.relays().at(-1)!;
    const before = (await refreshes()).length;
    // A new authorisation whose refresh token Twitch will not take; the server still wants the old token.
    await authoriseBot(newToken("third"), "refresh-token-twitch-revoked");
    await eventually(async () => (relay.metrics.twitchLogin === "anonymous" ? true : undefined), 20_000);
    expect(relay.metrics.twitchLoginRefused).toBeGreaterThanOrEqual(2);
    expect(logs.filter((l) => l.includes("login was refused")).join("\n")).toContain("Bad password");
    const bot = await sys.db
      .prepare("SELECT status FROM instance_credentials WHERE id = 'twitch_bot'")
      .first<{ status: string }>();
    expect(bot?.status).toBe("revoked");
    // One refresh asked for however often the login was refused: no loop.
    expect((await refreshes()).length - before).toBe(1);
    expect(relay.metrics.coordinatorConnected).toBe(true);
  });
});
