import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { RelayCoordinator } from "../../../durable-objects/relay-coordinator.ts";
import { exchangeCode } from "../../../lib/connections/exchange.ts";
import { redirectUri } from "../../../lib/connections/oauth.ts";
import { type StoreEnv, saveBot } from "../../../lib/connections/store.ts";
import { sha256Hex } from "../../../lib/crypto/encoding.ts";
import { refreshRefusedBotToken, twitchBotCredential } from "../../../lib/platforms/twitch-bot.ts";
import { type Assignment, connectBody, relaySignature } from "../../../lib/relay/protocol.ts";
import { eventually } from "../../../test/shared/sign.ts";
import { createCommunity } from "../../../test/workerd/fixtures.ts";
import { vars } from "../../../test/workerd/ingress.ts";
import { call } from "../../../test/workerd/self.ts";
import { COORDINATOR_NAME } from "../src/relay.ts";

const secret = vars.RELAY_SHARED_SECRET;
const coordinatorEnv = env as unknown as {
  RELAY_COORDINATOR: DurableObjectNamespace<RelayCoordinator>;
  DB: D1Database;
};
const stub = () => coordinatorEnv.RELAY_COORDINATOR.get(coordinatorEnv.RELAY_COORDINATOR.idFromName(COORDINATOR_NAME));

async function connect(copy: string, signWith = secret, signedCopy = copy) {
  const headers = {
    upgrade: "websocket",
    "x-relay-copy": copy,
    ...(await relaySignature(signWith, connectBody(signedCopy))),
  };
  const res = await call("/relay/connect", { headers });
  const ws = res.webSocket;
  const assignments: Assignment[] = [];
  const closed = new Promise<number>((resolve) => ws?.addEventListener("close", (e) => resolve(e.code)));
  ws?.addEventListener("message", (e) => {
    assignments.push(JSON.parse(String(e.data)) as Assignment);
  });
  ws?.accept();
  const latest = () => assignments.at(-1);
  return { res, ws, assignments, latest, closed };
}

/** A community connected to Twitch under this login (the connections flow writes the display name). */
async function twitchChannel(login: string) {
  const community = await createCommunity();
  await coordinatorEnv.DB.prepare(
    "UPDATE community_platforms SET display_name = ? WHERE platform = 'twitch' AND platform_id = ?",
  )
    .bind(login, community.platformIds.twitch)
    .run();
  return community.platformIds.twitch;
}

const channelsOf = (a: Assignment | undefined) => a?.twitch.channels.map((c) => c.login) ?? [];

describe("relay coordinator at /relay/connect", () => {
  it("refuses another secret, a stale signature and a signature for another copy with 401", async () => {
    expect((await connect("copy-x", "another-secret-entirely")).res.status).toBe(401);
    expect((await connect("copy-x", secret, "copy-y")).res.status).toBe(401);
    const stale = {
      upgrade: "websocket",
      "x-relay-copy": "copy-x",
      ...(await relaySignature(secret, connectBody("copy-x"), Date.now() - 301_000)),
    };
    expect((await call("/relay/connect", { headers: stale })).status).toBe(401);
    expect((await call("/relay/connect", { headers: { upgrade: "websocket", "x-relay-copy": "copy-x" } })).status).toBe(
      401,
    );
    expect(await runInDurableObject(stub(), (_o, state) => state.getWebSockets().length)).toBe(0);
  });

  it("refuses a copy id that is not printable with 400, and a plain GET with 426", async () => {
    expect((await connect("bad id/../x")).res.status).toBe(400);
    const plain = await call("/relay/connect", {
      headers: { "x-relay-copy": "c1", ...(await relaySignature(secret, connectBody("c1"))) },
    });
    expect(plain.status).toBe(426);
  });

  it("assigns the connected Twitch channels and the Discord shard, splits them over two copies and hands a closed copy's share over", async () => {
    const logins = Array.from({ length: 6 }, (_, i) => `chan${crypto.randomUUID().slice(0, 6)}${i}`);
    for (const l of logins) await twitchChannel(l);
    const a = await connect("copy-a");
    expect(a.res.status).toBe(101);
    await eventually(async () => (logins.every((l) => channelsOf(a.latest()).includes(l)) ? true : undefined));
    expect(a.latest()!.discord).toEqual({ shardCount: 1, shardIds: [0] });
    expect(a.latest()!.twitch.credential).toBeNull();
    a.ws!.send(
      JSON.stringify({
        type: "applied",
        version: a.latest()!.version,
        shardIds: [0],
        channels: channelsOf(a.latest()),
      }),
    );

    const b = await connect("copy-b");
    await eventually(async () => (channelsOf(b.latest()).length > 0 ? true : undefined));
    // Make before break: a keeps b's new channels until b says it holds them.
    const movedToB = channelsOf(b.latest());
    expect(movedToB.every((l) => channelsOf(a.latest()).includes(l))).toBe(true);
    b.ws!.send(
      JSON.stringify({
        type: "applied",
        version: b.latest()!.version,
        shardIds: b.latest()!.discord.shardIds,
        channels: movedToB,
      }),
    );
    await eventually(async () => (movedToB.every((l) => !channelsOf(a.latest()).includes(l)) ? true : undefined));
    const total = channelsOf(a.latest()).length + channelsOf(b.latest()).length;
    expect(Math.abs(channelsOf(a.latest()).length - channelsOf(b.latest()).length)).toBeLessThanOrEqual(1);
    expect(new Set([...channelsOf(a.latest()), ...channelsOf(b.latest())]).size).toBe(total);

    b.ws!.close(1000, "bye");
    await eventually(async () => (logins.every((l) => channelsOf(a.latest()).includes(l)) ? true : undefined));
    a.ws!.close(1000, "bye");
  });

  it("tells a copy still joining its first assignment to drop nothing until the new owner holds it", async () => {
    const logins = Array.from({ length: 4 }, (_, i) => `join${crypto.randomUUID().slice(0, 6)}${i}`);
    for (const l of logins) await twitchChannel(l);
    // "early" sorts before "late": without the rule, early's drop went out before late's share.
    const early = await connect("copy-early");
    await eventually(async () => (logins.every((l) => channelsOf(early.latest()).includes(l)) ? true : undefined));
    const late = await connect("copy-late"); // early has not reported `applied` yet: still joining
    try {
      await eventually(async () => (channelsOf(late.latest()).length > 0 ? true : undefined));
      const moved = channelsOf(late.latest());
      const lateVersion = late.latest()!.version;
      late.ws!.send(JSON.stringify({ type: "applied", version: lateVersion, shardIds: [], channels: moved }));
      await eventually(async () => (moved.every((l) => !channelsOf(early.latest()).includes(l)) ? true : undefined));
      const firstDrop = early.assignments.find((x) => moved.some((l) => !channelsOf(x).includes(l)))!;
      expect(firstDrop.version).toBeGreaterThan(lateVersion);
    } finally {
      early.ws!.close(1000, "bye");
      late.ws!.close(1000, "bye");
    }
  });

  it("skips a malformed frame and keeps the socket", async () => {
    const c = await connect("copy-m");
    await eventually(async () => (c.latest() ? true : undefined));
    const lease = () => runInDurableObject(stub(), (_o, state) => state.storage.get<number>("lease:copy-m"));
    await runInDurableObject(stub(), (_o, state) => state.storage.put("lease:copy-m", 1));
    c.ws!.send("{nope");
    c.ws!.send(JSON.stringify({ type: "applied", version: -1 }));
    c.ws!.send(JSON.stringify({ type: "credential_rejected", token: "not-a-sha256" }));
    expect(await lease()).toBe(1); // junk renews nothing
    c.ws!.send(JSON.stringify({ type: "heartbeat" }));
    await eventually(async () => (((await lease()) ?? 0) > 1 ? true : undefined));
    expect(await runInDurableObject(stub(), (_o, state) => state.getWebSockets("copy-m").length)).toBe(1);
    c.ws!.close(1000, "bye");
  });

  it("takes the work from a copy whose lease ran out (no heartbeat) and closes its socket", async () => {
    const login = `lease${crypto.randomUUID().slice(0, 8)}`;
    await twitchChannel(login);
    const silent = await connect("copy-silent");
    await eventually(async () => (channelsOf(silent.latest()).includes(login) ? true : undefined));
    const live = await connect("copy-live");
    await eventually(async () => (live.latest() ? true : undefined));
    // The silent copy's last heartbeat was long ago; the live one's just now.
    await runInDurableObject(stub(), async (_o, state) => {
      await state.storage.put("lease:copy-silent", Date.now() - 60_000);
      await state.storage.put("lease:copy-live", Date.now());
    });
    await runDurableObjectAlarm(stub());
    expect(await silent.closed).toBe(4000);
    await eventually(async () => (channelsOf(live.latest()).includes(login) ? true : undefined));
    live.ws!.close(1000, "bye");
  });

  it("drops a channel whose community disconnected Twitch", async () => {
    const login = `gone${crypto.randomUUID().slice(0, 8)}`;
    const broadcasterId = await twitchChannel(login);
    const c = await connect("copy-d");
    await eventually(async () => (channelsOf(c.latest()).includes(login) ? true : undefined));
    await coordinatorEnv.DB.prepare("UPDATE community_platforms SET status = 'disconnected' WHERE platform_id = ?")
      .bind(broadcasterId)
      .run();
    await stub().refresh();
    await eventually(async () => (!channelsOf(c.latest()).includes(login) ? true : undefined));
    c.ws!.close(1000, "bye");
  });

  it("reads what each copy was last sent once per rebalance", async () => {
    const c = await connect("copy-r");
    await eventually(async () => (c.latest() ? true : undefined));
    const keys = await runInDurableObject(stub(), async (coordinator, state) => {
      const read: string[] = [];
      const get = state.storage.get.bind(state.storage);
      // Records the keys the rebalance reads; the storage underneath is the real one.
      state.storage.get = ((key: string | string[]) => {
        read.push(...[key].flat());
        return get(key as string);
      }) as typeof state.storage.get;
      try {
        await coordinator.refresh();
      } finally {
        delete (state.storage as { get?: unknown }).get;
      }
      return read;
    });
    expect(keys.filter((k) => k === "sent:copy-r")).toEqual(["sent:copy-r"]);
    c.ws!.close(1000, "bye");
  });

  it("refreshes a bot token IRC refused once; the refreshed one refused again within a minute is not refreshed again", async () => {
    const e = env as unknown as StoreEnv;
    const q = new URLSearchParams({ redirect_uri: redirectUri(e, "twitch_bot"), state: "s", scope: "chat:read" });
    q.set("fake_user", `${Math.floor(Math.random() * 1e9)}.relaybot`);
    const page = await fetch(`${env.FAKE_PLATFORM_URL}/oauth2/authorize?${q}`, { redirect: "manual" });
    const grant = await exchangeCode(e, "twitch_bot", new URL(page.headers.get("location")!).searchParams.get("code")!);
    await saveBot(e, grant, null);
    try {
      const refused = await sha256Hex(grant.accessToken);
      const first = await refreshRefusedBotToken(e, refused, undefined);
      expect(first.outcome).toBe("refreshed");
      const fresh = (await twitchBotCredential(e))!.accessToken;
      expect(fresh).not.toBe(grant.accessToken);
      expect(first.refresh!.token).toBe(await sha256Hex(fresh));
      // Another copy reporting the old token: already replaced, nothing to do.
      expect((await refreshRefusedBotToken(e, refused, first.refresh)).outcome).toBe("already_replaced");
      // The token the refresh gave is refused too, 10 s later: no second refresh (it would loop).
      const soon = await refreshRefusedBotToken(e, first.refresh!.token, first.refresh, first.refresh!.at + 10_000);
      expect(soon.outcome).toBe("cooling_down");
      expect((await twitchBotCredential(e))!.accessToken).toBe(fresh);
      // A minute later it may be tried again.
      const later = await refreshRefusedBotToken(e, first.refresh!.token, first.refresh, first.refresh!.at + 61_000);
      expect(later.outcome).toBe("refreshed");
      // A token that is not the bot's at all (a forged report) refreshes nothing.
      expect((await refreshRefusedBotToken(e, "0".repeat(64), later.refresh)).outcome).toBe("already_replaced");
    } finally {
      await coordinatorEnv.DB.prepare("DELETE FROM instance_credentials WHERE id = 'twitch_bot'").run();
    }
  });
});
