import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually } from "../shared/sign.ts";
import { ngircdMissing } from "../support/ngircd.ts";
import { type RelaySystem, startRelaySystem } from "./relay-system.ts";

/** Twitch chat over real IRC (ngircd) → relay → /relay/events → router → reply through the Outbox (Helix). */
describe.skipIf(ngircdMissing)("gateway relay: Twitch IRC", () => {
  let sys: RelaySystem;
  beforeAll(async () => {
    sys = await startRelaySystem();
  }, 60_000);
  afterAll(async () => sys?.close());

  it("forwards !ping typed in a connected channel and the reply goes out through Helix", async () => {
    const broadcasterId = await sys.connectTwitch("pingchannel");
    const relay = await sys.relay();
    const chatter = await sys.irc.user("viewer1");
    await chatter.join("pingchannel");
    await chatter.waitMember("pingchannel", "justinfan");
    chatter.say("pingchannel", "!ping");
    const sent = await sys.fake.waitFor(
      "/helix/chat/messages",
      (r) => (r.body as { broadcaster_id?: string }).broadcaster_id === broadcasterId,
      15_000,
    );
    expect(sent.body).toMatchObject({ message: "pong" });
    expect(relay.metrics.eventsForwarded).toBeGreaterThanOrEqual(1);
    chatter.quit();
  });
});

/** Two copies, ten channels: the coordinator splits them, and moves a killed copy's share. */
describe.skipIf(ngircdMissing)("gateway relay: coordination", () => {
  let sys: RelaySystem;
  const logins = Array.from({ length: 10 }, (_, i) => `split${i}`);
  const ids = new Map<string, string>();
  beforeAll(async () => {
    sys = await startRelaySystem();
    for (const l of logins) ids.set(l, await sys.connectTwitch(l));
  }, 60_000);
  afterAll(async () => sys?.close());

  type Held = { channels: number; channelsJoined: number };
  const metricsOf = async (url: string) => (await (await fetch(`${url}/metrics`)).json()) as Held;
  const heldBy = async (url: string) => metricsOf(url).catch(() => ({ channels: -1, channelsJoined: -1 }));

  it("splits ten channels between two copies and moves a killed copy's channels within 30 s, losing nothing", async () => {
    const a = await sys.relay({ RELAY_COPY_ID: "copy-a" });
    const b = await sys.relayProcess({ RELAY_COPY_ID: "copy-b" });
    // 11 channels in all (the demo community's too): balanced within one.
    await eventually(async () => {
      // Assigned and joined on both sides: the split has settled.
      const [ha, hb] = [a.metrics, await heldBy(b.url)];
      const settled = ha.channelsJoined === ha.channels && hb.channelsJoined === hb.channels;
      return settled && ha.channels + hb.channels === 11 && Math.abs(ha.channels - hb.channels) <= 1 ? true : undefined;
    }, 20_000);
    const chatter = await sys.irc.user("talker");
    for (const l of logins) await chatter.join(l);
    const bChannels = logins.filter((l) => !a.twitch.held().includes(l));
    expect(bChannels.length).toBeGreaterThan(0);

    const killedAt = Date.now();
    b.child.kill("SIGKILL");
    await eventually(async () => (a.twitch.held().length === 11 ? true : undefined), 30_000);
    expect(Date.now() - killedAt).toBeLessThan(30_000);
    // Every channel that was b's now reaches the router through a.
    for (const l of bChannels) chatter.say(l, "!ping");
    for (const l of bChannels) {
      await sys.fake.waitFor(
        "/helix/chat/messages",
        (r) => (r.body as { broadcaster_id?: string }).broadcaster_id === ids.get(l),
        15_000,
      );
    }
    chatter.quit();
  });

  it("rebalances onto a copy that joins while chat goes on, without losing a line", async () => {
    const a = sys.relays()[0]!;
    const seen = new Set<string>();
    const note = (e: { text?: string; channel: { name?: string } }) =>
      e.text && seen.add(`${e.channel.name}:${e.text}`);
    const original = a.forwarder.send.bind(a.forwarder);
    a.forwarder.send = (event, at) => {
      note(event);
      original(event, at);
    };
    // One chatter per channel, a line a second each (ngircd paces every client, per target too).
    const chatters = await Promise.all(logins.map((_, i) => sys.irc.user(`steady${i}`)));
    await Promise.all(chatters.map((c, i) => c.join(logins[i]!)));
    const expected: string[] = [];
    let n = 0;
    const talking = setInterval(() => {
      const text = `line ${n++}`;
      for (const [i, c] of chatters.entries()) c.say(logins[i]!, text);
      for (const l of logins) expected.push(`${l}:${text}`);
    }, 1_000);
    const b = await sys.relay({ RELAY_COPY_ID: "copy-c" }, { onEvent: note });
    try {
      await eventually(
        async () => (b.twitch.held().length >= 4 && a.twitch.held().length <= 7 ? true : undefined),
        20_000,
      );
      await eventually(async () => (n >= 10 ? true : undefined), 20_000);
      clearInterval(talking);
      await eventually(async () => (expected.every((t) => seen.has(t)) ? true : undefined), 15_000).catch(() => {});
      expect(expected.filter((t) => !seen.has(t))).toEqual([]);
      await Promise.all([a.forwarder.drained(), b.forwarder.drained()]);
    } finally {
      clearInterval(talking);
      for (const c of chatters) c.quit();
      a.forwarder.send = original;
      await b.stop();
    }
    // copy-c gone: copy-a holds everything again.
    await eventually(async () => (a.twitch.held().length === 11 ? true : undefined), 15_000);
  }, 60_000);

  it("joins a channel connected later, buffers through a 20 s outage of the webhooks worker and loses nothing", async () => {
    const relay = sys.relays()[0]!;
    const login = "outage";
    ids.set(login, await sys.connectTwitch(login));
    // The coordinator picks the new connection up by itself (its sweep reads community_platforms).
    await eventually(async () => (relay.twitch.held().includes(login) ? true : undefined), 15_000);
    const chatters = await Promise.all(Array.from({ length: 5 }, (_, i) => sys.irc.user(`patient${i}`)));
    for (const c of chatters) await c.join(login);
    await sys.proxy.down();
    const forwardedBefore = relay.metrics.eventsForwarded;
    for (const c of chatters) c.say(login, "!ping");
    await eventually(
      async () => (relay.metrics.bufferDepth === 5 && relay.metrics.retries >= 1 ? true : undefined),
      10_000,
    );
    const downAt = Date.now();
    await eventually(async () => (Date.now() - downAt >= 20_000 ? true : undefined), 25_000);
    expect(relay.metrics.eventsForwarded).toBe(forwardedBefore);
    await sys.proxy.up();
    await relay.forwarder.drained();
    expect(relay.metrics.eventsForwarded - forwardedBefore).toBe(5);
    expect(relay.metrics.dropped).toBe(0);
    const replies = await eventually(async () => {
      const sent = (await sys.fake.requests("/helix/chat/messages")).filter(
        (r) => (r.body as { broadcaster_id?: string }).broadcaster_id === ids.get(login),
      );
      return sent.length >= 5 ? sent : undefined;
    }, 15_000);
    expect(replies.map((r) => (r.body as { message: string }).message)).toEqual(Array(5).fill("pong"));
    for (const c of chatters) c.quit();
  }, 60_000);

  it("parts the channel of a community that disconnected Twitch", async () => {
    const relay = sys.relays()[0]!;
    const watcher = await sys.irc.user("watcher");
    await watcher.join("outage");
    await sys.disconnect("twitch", ids.get("outage")!);
    // The coordinator's sweep reads community_platforms again; the copy leaves the channel on IRC.
    await eventually(
      async () => (watcher.lines.some((l) => /^:justinfan\d+!\S* PART #outage/.test(l)) ? true : undefined),
      15_000,
    );
    expect(relay.twitch.held()).not.toContain("outage");
    expect(relay.twitch.held().length).toBe(11);
    watcher.quit();
  });
});
