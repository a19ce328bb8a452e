import type { ChildProcess } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { snowflake } from "../shared/ids.ts";
import { eventually } from "../shared/sign.ts";
import { shardOf } from "../support/fake-discord-gateway.ts";
import { type RelaySystem, startRelaySystem } from "./relay-system.ts";

/**
 * Discord shards between live relay copies (separate processes, so one can be SIGKILLed) and the
 * fake gateway: the gateway is held only while a community has Discord connected, a killed
 * copy's shard is identified by the other, and a copy added back takes a shard while every
 * message sent during the move arrives exactly once.
 */
describe("gateway relay: Discord shards between copies", () => {
  let sys: RelaySystem;
  let g0: string;
  let g1: string;
  const copies = new Map<string, { child: ChildProcess; url: string }>();

  const shardsOf = async (url: string) => ((await sys.metricsOf(url))?.shards as number[] | undefined) ?? null;
  const held = async () => {
    const out: Record<string, number[] | null> = {};
    for (const [id, c] of copies) out[id] = await shardsOf(c.url);
    return out;
  };
  const message = (channelId: string, content: string) => ({
    id: snowflake(),
    channel_id: channelId,
    author: { id: snowflake(), username: "penguin", discriminator: "0", global_name: "Penguin" },
    member: { roles: [] },
    content,
    timestamp: new Date().toISOString(),
    type: 0,
  });
  const pinged = async (guildId: string) => {
    const channelId = snowflake();
    expect(sys.gateway.dispatch(guildId, "MESSAGE_CREATE", message(channelId, "!ping"))).toBe(1);
    const sent = await sys.fake.waitFor(`/channels/${channelId}/messages`, () => true, 15_000);
    expect(sent.body).toMatchObject({ content: "pong" });
  };

  beforeAll(async () => {
    sys = await startRelaySystem();
    g0 = sys.vars.DEMO_DISCORD_GUILD_ID!;
    // A second guild on the other shard once Discord recommends two.
    do g1 = snowflake();
    while (shardOf(g1, 2) === shardOf(g0, 2));
    sys.gateway.addGuild({ id: g0 });
    sys.gateway.addGuild({ id: g1 });
    for (const id of ["shard-a", "shard-b"]) copies.set(id, await sys.relayProcess({ RELAY_COPY_ID: id }));
  }, 60_000);
  afterAll(async () => sys?.close());

  it("holds the gateway only while a community has Discord connected, and reshards when guilds connect", async () => {
    // The demo community has Discord: one copy holds the one shard.
    await eventually(async () => {
      const all = Object.values(await held()).flatMap((s) => s ?? []);
      return all.length === 1 && all[0] === 0 && sys.gateway.connected() === 1 ? true : undefined;
    }, 20_000);

    await sys.disconnect("discord", g0);
    await eventually(async () => {
      const h = Object.values(await held());
      return h.every((s) => s?.length === 0) && sys.gateway.connected() === 0 ? true : undefined;
    }, 15_000);

    // Two guilds connect and Discord now recommends two shards: one each.
    await sys.gatewayShards(2);
    await sys.connectDiscord(g0);
    await sys.connectDiscord(g1);
    await eventually(async () => {
      const h = Object.values(await held());
      const all = h.flatMap((s) => s ?? []).sort();
      return h.every((s) => s?.length === 1) && all.join() === "0,1" && sys.gateway.connected() === 2
        ? true
        : undefined;
    }, 30_000);
    expect(sys.gateway.stats.identifies.map((i) => i.shard.join("/"))).toEqual(expect.arrayContaining(["0/2", "1/2"]));
    await pinged(g0);
    await pinged(g1);
  }, 60_000);

  it("moves a SIGKILLed copy's shard to the other copy within 30 s; !ping after the move is answered", async () => {
    const h = await held();
    const victim = [...copies.keys()].find((id) => h[id]?.includes(shardOf(g0, 2)))!;
    const survivor = [...copies.keys()].find((id) => id !== victim)!;
    const identifies = sys.gateway.stats.identifies.length;
    const killedAt = Date.now();
    copies.get(victim)!.child.kill("SIGKILL");
    copies.delete(victim);
    await eventually(async () => {
      const s = await shardsOf(copies.get(survivor)!.url);
      return s?.length === 2 && sys.gateway.connected() === 2 ? true : undefined;
    }, 30_000);
    expect(Date.now() - killedAt).toBeLessThan(30_000);
    // The survivor identified the dead copy's shard afresh (its session died with the process).
    expect(sys.gateway.stats.identifies.slice(identifies).map((i) => i.shard.join("/"))).toContain(
      `${shardOf(g0, 2)}/2`,
    );
    await pinged(g0);
    await pinged(g1);
  }, 45_000);

  it("rebalances onto a copy added back, every message sent meanwhile answered exactly once", async () => {
    const survivor = [...copies.values()][0]!;
    const sent: string[] = [];
    const reached: number[] = [];
    const talk = () => {
      for (const g of [g0, g1]) {
        const channelId = snowflake();
        sent.push(channelId);
        reached.push(sys.gateway.dispatch(g, "MESSAGE_CREATE", message(channelId, "!ping")));
      }
    };
    const talking = setInterval(talk, 250);
    let added: Awaited<ReturnType<RelaySystem["relay"]>> | undefined;
    try {
      added = await sys.relay({ RELAY_COPY_ID: "shard-c" });
      const c = added;
      await eventually(async () => {
        const s = await shardsOf(survivor.url);
        return c.discord?.held().length === 1 && s?.length === 1 && sys.gateway.connected() === 2 ? true : undefined;
      }, 30_000);
      // A little more chat after the move has settled.
      const settled = sent.length;
      await eventually(async () => (sent.length >= settled + 8 ? true : undefined), 10_000);
    } finally {
      clearInterval(talking);
    }
    // Make before break: some live session held each guild's shard for every message.
    expect(reached.filter((n) => n < 1)).toEqual([]);
    await added.forwarder.drained();
    await eventually(async () => ((await sys.metricsOf(survivor.url))?.bufferDepth === 0 ? true : undefined), 15_000);
    const replies = await eventually(async () => {
      const counts = new Map<string, number>();
      for (const r of await sys.fake.requests("/channels/")) {
        const channelId = r.path.match(/\/channels\/(\d+)\/messages$/)?.[1];
        if (channelId) counts.set(channelId, (counts.get(channelId) ?? 0) + 1);
      }
      return sent.every((ch) => counts.has(ch)) ? counts : undefined;
    }, 30_000);
    // The overlap's copies of a message share its id: the worker's dedupe keeps one.
    expect(sent.filter((ch) => replies.get(ch) !== 1)).toEqual([]);
  }, 75_000);
});
