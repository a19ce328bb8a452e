import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { fakeControl } from "../../../test/shared/fake-control.ts";
import { snowflake } from "../../../test/shared/ids.ts";
import { relayDiscordMessage } from "../../../test/shared/payloads.ts";
import { eventually, relayHeaders, unixSeconds } from "../../../test/shared/sign.ts";
import { createCommunity } from "../../../test/workerd/fixtures.ts";
import { oversized, pointsOf, post, vars } from "../../../test/workerd/ingress.ts";
import { call } from "../../../test/workerd/self.ts";

const fake = fakeControl(env.FAKE_PLATFORM_URL);
const secret = vars.RELAY_SHARED_SECRET;

const discordMessage = (guildId: string, channelId: string, userId: string, text: string) =>
  relayDiscordMessage({ guildId, channelId, userId, text });

describe("relay events", () => {
  it("routes a gateway message and answers in the Discord channel through the outbox", async () => {
    const community = await createCommunity();
    const channelId = snowflake();
    const userId = snowflake();
    const body = discordMessage(community.platformIds.discord, channelId, userId, "!ping");
    const res = await post("/relay/events", body, await relayHeaders(secret, body));
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ status: "accepted" });
    const sent = await fake.waitFor(`/channels/${channelId}/messages`);
    expect(sent.body).toMatchObject({ content: "pong" });
    expect(sent.headers.authorization).toBe(`Bot ${vars.DISCORD_BOT_TOKEN}`);
    expect(await eventually(() => pointsOf(community.id, "discord", userId))).toBe(5);
  });

  it("processes the same relay event id once when it arrives three times", async () => {
    const community = await createCommunity();
    const channelId = snowflake();
    const body = discordMessage(community.platformIds.discord, channelId, snowflake(), "!ping");
    const headers = await relayHeaders(secret, body);
    const results = [];
    for (let i = 0; i < 3; i++) results.push(await (await post("/relay/events", body, headers)).json());
    expect(results).toEqual([{ status: "accepted" }, { status: "duplicate" }, { status: "duplicate" }]);
    const later = discordMessage(community.platformIds.discord, channelId, snowflake(), "!help");
    await post("/relay/events", later, await relayHeaders(secret, later));
    await eventually(async () =>
      (await fake.requests(`/channels/${channelId}/messages`)).length >= 2 ? true : undefined,
    );
    const sent = await fake.requests(`/channels/${channelId}/messages`);
    expect(sent.map((r) => (r.body as { content: string }).content)).toEqual([
      "pong",
      expect.stringMatching(/^Commands you can use: .*!help.*!ping/),
    ]);
  });

  it("rejects a forged signature, another secret and a stale timestamp with 401", async () => {
    const body = discordMessage("1", "2", "3", "hi");
    const forged = { ...(await relayHeaders(secret, body)), "x-relay-signature": `sha256=${"c".repeat(64)}` };
    expect((await post("/relay/events", body, forged)).status).toBe(401);
    expect((await post("/relay/events", body, await relayHeaders("other-secret", body))).status).toBe(401);
    expect((await post("/relay/events", body, await relayHeaders(secret, body, unixSeconds(-301)))).status).toBe(401);
  });

  it("refuses malformed JSON and an invalid event with 400", async () => {
    const bad = '{"id": ';
    expect((await post("/relay/events", bad, await relayHeaders(secret, bad))).status).toBe(400);
    const invalid = JSON.stringify({ id: "x", platform: "myspace" });
    expect((await post("/relay/events", invalid, await relayHeaders(secret, invalid))).status).toBe(400);
  });

  it("refuses a body over 64 KiB with 413 and GET with 405", async () => {
    const body = oversized(64 * 1024);
    expect((await post("/relay/events", body, await relayHeaders(secret, body))).status).toBe(413);
    expect((await call("/relay/events")).status).toBe(405);
  });

  it("acknowledges an event for a community we do not know without routing it", async () => {
    const body = discordMessage(snowflake(), snowflake(), snowflake(), "!ping");
    const res = await post("/relay/events", body, await relayHeaders(secret, body));
    expect(await res.json()).toEqual({ status: "unknown_community" });
  });
});
