/**
 * The gateway relay's end-to-end rig: the three workers as `npm start` runs them (its own
 * copy, so the test can write connections into D1 the way the connections flow will), the
 * fake platform REST API, the fake Discord gateway, a real ngircd, and relay copies started
 * in this process or as child processes (to be killed).
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, Socket as NetSocket, type Server, type Socket } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { readConfig } from "../../gateway-relay/src/config.ts";
import { type RelayDeps, startRelay } from "../../gateway-relay/src/relay.ts";
import { startLocal } from "../../scripts/local.ts";
import { seedDemo } from "../../scripts/seed.ts";
import { fakeControl } from "../shared/fake-control.ts";
import { startFakeGateway } from "../support/fake-discord-gateway.ts";
import { startFakePlatform } from "../support/fake-platform.ts";
import { freePort } from "../support/free-port.ts";
import { ircUser, startNgircd } from "../support/ngircd.ts";
import { makeTestVars } from "../support/test-vars.ts";

/** `ircPassword`: the IRC server admits only clients that send it (the bot's `oauth:<token>`). */
export async function startRelaySystem(opts: { ircPassword?: string } = {}) {
  const dir = mkdtempSync(path.join(tmpdir(), "waddlebot-relay-"));
  const fake = await startFakePlatform();
  const vars = { ...makeTestVars(), ...fake.bases };
  const gateway = await startFakeGateway({ token: vars.DISCORD_BOT_TOKEN!, heartbeatMs: 1_000 });
  const irc = await startNgircd({ password: opts.ircPassword });
  let ircPassword = opts.ircPassword;
  /** What GET /gateway/bot recommends (Discord derives it from the bot's guild count). */
  const gatewayShards = (shards: number) =>
    fetch(`${fake.url}/_fake/gateway`, { method: "POST", body: JSON.stringify({ url: gateway.url, shards }) });
  await gatewayShards(1);
  let communityId = "";
  const system = await startLocal({
    // All four on free ports: a worker left out takes its `npm start` default, which another
    // local system on the machine may hold.
    ports: { router: 0, webhooks: 0, identity: 0, modules: 0 },
    persistDir: path.join(dir, "state"),
    buildDir: path.join(dir, "build"),
    vars,
    prepare: async (db) => {
      communityId = (await seedDemo(db, vars)).communityId;
    },
  });
  const db = await system.mf.getD1Database("DB", "waddlebot-router");
  const proxy = await tcpProxy(new URL(system.urls.webhooks));
  const children: ChildProcess[] = [];
  const relays: Awaited<ReturnType<typeof startRelay>>[] = [];

  const relayEnv = (extra: Record<string, string> = {}) => ({
    RELAY_WEBHOOKS_URL: proxy.url,
    RELAY_SHARED_SECRET: vars.RELAY_SHARED_SECRET!,
    DISCORD_BOT_TOKEN: vars.DISCORD_BOT_TOKEN!,
    DISCORD_API_BASE: vars.DISCORD_API_BASE!,
    DISCORD_GATEWAY_URL: gateway.url,
    TWITCH_IRC_URL: irc.url,
    TWITCH_BOT_LEVEL: "verified",
    RELAY_PORT: "0",
    RELAY_HOST: "127.0.0.1",
    ...extra,
  });

  return {
    vars,
    fake: fakeControl(fake.url),
    gateway,
    gatewayShards,
    irc: {
      ...irc,
      user: (nick: string) => ircUser(irc.port, nick, ircPassword),
      async setPassword(password: string) {
        await irc.setPassword(password);
        ircPassword = password;
      },
    },
    proxy,
    db,
    communityId,
    fakeUrl: fake.url,
    urls: system.urls,
    relayEnv,
    relays: () => relays,
    /** A relay copy in this process (its clock and metrics reachable). */
    async relay(extra: Record<string, string> = {}, deps: RelayDeps = {}) {
      const relay = await startRelay(readConfig(relayEnv(extra)), { log: () => {}, ...deps });
      relays.push(relay);
      return relay;
    },
    /** A relay copy as its own process (`npm run relay`), to be killed with SIGKILL. */
    async relayProcess(extra: Record<string, string> = {}) {
      const port = await freePort();
      const child = spawn(process.execPath, [path.join(import.meta.dirname, "../../gateway-relay/src/main.ts")], {
        env: { ...process.env, ...relayEnv({ RELAY_PORT: String(port), ...extra }) },
        stdio: "ignore",
      });
      children.push(child);
      return { child, url: `http://127.0.0.1:${port}` };
    },
    /** Connects a Twitch channel to the demo community (what the connections flow writes). */
    async connectTwitch(login: string, broadcasterId = String(200_000_000 + Math.floor(Math.random() * 1e8))) {
      await db
        .prepare(
          "INSERT INTO community_platforms (id, community_id, platform, platform_id, display_name, status, created_at) VALUES (?, ?, 'twitch', ?, ?, 'active', ?)",
        )
        .bind(crypto.randomUUID(), communityId, broadcasterId, login, Date.now())
        .run();
      return broadcasterId;
    },
    /** Links a Discord guild to the demo community (what the connections flow writes). */
    async connectDiscord(guildId: string) {
      await db
        .prepare(
          "INSERT INTO community_platforms (id, community_id, platform, platform_id, display_name, status, created_at) VALUES (?, ?, 'discord', ?, ?, 'active', ?)",
        )
        .bind(crypto.randomUUID(), communityId, guildId, `guild ${guildId}`, Date.now())
        .run();
    },
    /** Removes a link, as disconnecting a platform does (lib/connections/store.ts removeConnection). */
    async disconnect(platform: "discord" | "twitch", platformId: string) {
      await db
        .prepare("DELETE FROM community_platforms WHERE platform = ? AND platform_id = ?")
        .bind(platform, platformId)
        .run();
    },
    /** A copy's GET /metrics (a process copy's too); null while it does not answer. */
    async metricsOf(url: string): Promise<Record<string, unknown> | null> {
      return fetch(`${url}/metrics`)
        .then((r) => r.json() as Promise<Record<string, unknown>>)
        .catch(() => null);
    },
    async pointsOf(platform: string, platformUserId: string): Promise<number | undefined> {
      const row = await db
        .prepare(
          `SELECT m.points AS points FROM community_members m JOIN user_identities i ON i.user_id = m.user_id
           WHERE m.community_id = ? AND i.platform = ? AND i.platform_user_id = ?`,
        )
        .bind(communityId, platform, platformUserId)
        .first<{ points: number }>();
      return row?.points;
    },
    async close() {
      for (const c of children) c.kill("SIGKILL");
      for (const r of relays) await r.stop().catch(() => {});
      await proxy.close();
      await system.dispose();
      await irc.stop();
      await gateway.close();
      await fake.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * A TCP proxy in front of the webhooks worker: `down()` closes it and cuts every connection
 * (the worker unreachable, as in an outage), `up()` opens it again on the same port.
 */
async function tcpProxy(target: URL) {
  const port = await freePort();
  const sockets = new Set<Socket>();
  let server: Server | undefined;
  const up = () =>
    new Promise<void>((resolve) => {
      server = createServer((client) => {
        const upstream = new NetSocket();
        sockets.add(client).add(upstream);
        upstream.connect(Number(target.port), target.hostname);
        client.pipe(upstream).pipe(client);
        const drop = () => {
          client.destroy();
          upstream.destroy();
          sockets.delete(client);
          sockets.delete(upstream);
        };
        client.on("error", drop).on("close", drop);
        upstream.on("error", drop).on("close", drop);
      });
      server.listen(port, "127.0.0.1", () => resolve());
    });
  const down = () =>
    new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      sockets.clear();
      if (!server) return resolve();
      server.close(() => resolve());
      server = undefined;
    });
  await up();
  return { url: `http://127.0.0.1:${port}`, up, down, close: down };
}

export type RelaySystem = Awaited<ReturnType<typeof startRelaySystem>>;
