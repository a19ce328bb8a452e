import { describe, expect, it } from "vitest";
import { snowflake } from "../../../test/shared/ids.ts";
import { eventually, relayHeaders } from "../../../test/shared/sign.ts";
import { createCommunity } from "../../../test/workerd/fixtures.ts";
import { pointsOf, post, vars } from "../../../test/workerd/ingress.ts";

const voice = (guildId: string, userId: string, type: string, data: Record<string, unknown> = {}) =>
  JSON.stringify({
    id: `voice-${crypto.randomUUID()}`,
    platform: "discord",
    type,
    communityPlatformId: guildId,
    channel: { id: snowflake() },
    user: { id: userId, username: "listener" },
    data,
    reply: { kind: "none" },
  });

const send = async (body: string) =>
  (await post("/relay/events", body, await relayHeaders(vars.RELAY_SHARED_SECRET, body))).json();

describe("voice and boost points from the relay", () => {
  it("credits voice join 8, voice minutes 1 each and a boost 100", async () => {
    const community = await createCommunity();
    const guild = community.platformIds.discord;
    const userId = snowflake();
    expect(await send(voice(guild, userId, "voice_join"))).toEqual({ status: "accepted" });
    await send(voice(guild, userId, "voice_time", { minutes: 3 }));
    await send(voice(guild, userId, "boost", { premiumSince: new Date().toISOString() }));
    expect(
      await eventually(async () => ((await pointsOf(community.id, "discord", userId)) === 111 ? 111 : undefined)),
    ).toBe(111);
  });

  it("caps one voice report at a day and credits nothing for a count that is not a whole positive number", async () => {
    const community = await createCommunity();
    const guild = community.platformIds.discord;
    const userId = snowflake();
    for (const minutes of ["60", 1.5, -5, 0, null]) await send(voice(guild, userId, "voice_time", { minutes }));
    await send(voice(guild, userId, "voice_time", { minutes: 1_000_000_000 }));
    expect(await eventually(() => pointsOf(community.id, "discord", userId))).toBe(1440);
  });
});
