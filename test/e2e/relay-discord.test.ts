import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Relay } from "../../gateway-relay/src/relay.ts";
import { snowflake } from "../shared/ids.ts";
import { eventually } from "../shared/sign.ts";
import { type RelaySystem, startRelaySystem } from "./relay-system.ts";

/**
 * The Discord side against the fake gateway (real protocol) and the workers as `npm start`
 * runs them: prefix commands answered through the Outbox, voice and boost points, RESUME,
 * INVALID_SESSION and malformed frames.
 */
describe("gateway relay: Discord gateway", () => {
  let sys: RelaySystem;
  let relay: Relay;
  let guildId: string;
  const clock = { t: Date.now(), now: () => clock.t };

  beforeAll(async () => {
    sys = await startRelaySystem();
    guildId = sys.vars.DEMO_DISCORD_GUILD_ID!;
    sys.gateway.addGuild({ id: guildId });
    // Ticks only when the test says so: voice minutes come from the injected clock.
    relay = await sys.relay({}, { clock, voiceTickMs: 3_600_000 });
    await sys.gateway.until(() => relay.metrics.discordShardsOpen === 1 && relay.discord!.guildCount() === 1);
  }, 60_000);
  afterAll(async () => sys?.close());

  const message = (channelId: string, userId: string, content: string) => ({
    id: snowflake(),
    channel_id: channelId,
    author: { id: userId, username: "penguin", discriminator: "0", global_name: "Penguin" },
    member: { roles: [] },
    content,
    timestamp: new Date().toISOString(),
    type: 0,
  });

  it("identifies with the intents the features need and answers !ping in the channel", async () => {
    expect(sys.gateway.stats.identifies[0]).toMatchObject({ shard: [0, 1], intents: 1 | 2 | 128 | 512 | 1024 | 32768 });
    const channelId = snowflake();
    const userId = snowflake();
    expect(sys.gateway.dispatch(guildId, "MESSAGE_CREATE", message(channelId, userId, "!ping"))).toBe(1);
    const sent = await sys.fake.waitFor(`/channels/${channelId}/messages`, () => true, 15_000);
    expect(sent.body).toMatchObject({ content: "pong" });
    expect(await eventually(() => sys.pointsOf("discord", userId), 10_000)).toBe(5);
  });

  it("credits 8 for joining voice and 1 per minute: 3 simulated minutes are 11 points", async () => {
    const userId = snowflake();
    const member = { user: { id: userId, username: "listener" }, roles: [] };
    sys.gateway.dispatch(guildId, "VOICE_STATE_UPDATE", {
      user_id: userId,
      channel_id: snowflake(),
      member,
      session_id: "s",
    });
    await eventually(async () => (relay.voice.size === 1 ? true : undefined));
    expect(await eventually(() => sys.pointsOf("discord", userId), 10_000)).toBe(8);
    clock.t += 60_000;
    relay.voice.tick(); // the relay reports every full minute while the member stays
    expect(await eventually(async () => ((await sys.pointsOf("discord", userId)) === 9 ? 9 : undefined), 10_000)).toBe(
      9,
    );
    clock.t += 2 * 60_000 + 30_000;
    sys.gateway.dispatch(guildId, "VOICE_STATE_UPDATE", { user_id: userId, channel_id: null, member, session_id: "s" });
    expect(
      await eventually(async () => ((await sys.pointsOf("discord", userId)) === 11 ? 11 : undefined), 10_000),
    ).toBe(11);
    await relay.forwarder.drained();
    expect(await sys.pointsOf("discord", userId)).toBe(11); // the half minute earns nothing
  });

  it("credits a boost once (100 points) however often the member update repeats", async () => {
    const userId = snowflake();
    const since = new Date().toISOString();
    const update = { user: { id: userId, username: "booster" }, roles: [], premium_since: since };
    sys.gateway.dispatch(guildId, "GUILD_MEMBER_UPDATE", { ...update, premium_since: null });
    sys.gateway.dispatch(guildId, "GUILD_MEMBER_UPDATE", update);
    sys.gateway.dispatch(guildId, "GUILD_MEMBER_UPDATE", update);
    expect(await eventually(() => sys.pointsOf("discord", userId), 10_000)).toBe(100);
    await relay.forwarder.drained();
    expect(await sys.pointsOf("discord", userId)).toBe(100);
  });

  it("skips malformed frames and dispatches without crashing, and keeps forwarding", async () => {
    const before = relay.metrics.malformed;
    sys.gateway.sendRaw("{not json");
    sys.gateway.dispatch(guildId, "MESSAGE_CREATE", { id: snowflake(), channel_id: "1" }); // no author
    await eventually(async () => (relay.metrics.malformed >= before + 1 ? true : undefined));
    const channelId = snowflake();
    sys.gateway.dispatch(guildId, "MESSAGE_CREATE", message(channelId, snowflake(), "!ping"));
    expect((await sys.fake.waitFor(`/channels/${channelId}/messages`, () => true, 15_000)).body).toMatchObject({
      content: "pong",
    });
  });

  it("resumes after a dropped connection and receives what was sent meanwhile", async () => {
    const identifies = sys.gateway.stats.identifies.length;
    const resumes = sys.gateway.stats.resumes;
    sys.gateway.dropAll(4000);
    const channelId = snowflake();
    // Sent while the shard is away: kept in the session and replayed on RESUME.
    sys.gateway.dispatchToSession(guildId, "MESSAGE_CREATE", message(channelId, snowflake(), "!ping"));
    await sys.gateway.until(() => sys.gateway.stats.resumes > resumes && sys.gateway.connected() === 1);
    expect((await sys.fake.waitFor(`/channels/${channelId}/messages`, () => true, 15_000)).body).toMatchObject({
      content: "pong",
    });
    expect(sys.gateway.stats.identifies.length).toBe(identifies);
  });

  it("identifies again when the gateway answers RESUME with INVALID_SESSION", async () => {
    const identifies = sys.gateway.stats.identifies.length;
    sys.gateway.invalidateNextResume();
    sys.gateway.dropAll(4000);
    await sys.gateway.until(
      () => sys.gateway.stats.identifies.length > identifies && sys.gateway.connected() >= 1,
      30_000,
    );
    const channelId = snowflake();
    sys.gateway.dispatch(guildId, "MESSAGE_CREATE", message(channelId, snowflake(), "!ping"));
    expect((await sys.fake.waitFor(`/channels/${channelId}/messages`, () => true, 15_000)).body).toMatchObject({
      content: "pong",
    });
  });

  it("refuses a relay with a wrong secret at /relay/connect and /relay/events", async () => {
    const logs: { msg: string; fields?: Record<string, unknown> }[] = [];
    const wrong = await sys.relay(
      { RELAY_SHARED_SECRET: "not-the-shared-secret-at-all", RELAY_COPY_ID: "intruder", DISCORD_BOT_TOKEN: "" },
      { log: (msg, fields) => logs.push({ msg, fields }) },
    );
    await eventually(async () => (logs.some((l) => l.fields?.status === 401) ? true : undefined), 10_000);
    expect(wrong.metrics.coordinatorConnected).toBe(false);
    expect(wrong.metrics.channels).toBe(0);
    wrong.forwarder.send({
      id: `gw-${crypto.randomUUID()}`,
      platform: "discord",
      type: "message",
      communityPlatformId: guildId,
      channel: { id: "1" },
      user: { id: snowflake(), username: "intruder" },
      text: "!ping",
      reply: { kind: "none" },
    });
    await wrong.forwarder.drained();
    expect(wrong.metrics).toMatchObject({ eventsRejected: 1, eventsForwarded: 0, retries: 0 });
  });
});
