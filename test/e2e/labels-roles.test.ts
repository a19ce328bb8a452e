/**
 * Entity groups end to end, over HTTP against the local system: a Discord member (made by
 * chatting through the signed relay), a label mapped to a Discord role, and the role given and
 * taken back at the fake Discord API as the label is put on and taken off.
 */
import { describe, expect, inject, it } from "vitest";
import { fakeRoles } from "../shared/fake-control.ts";
import { snowflake } from "../shared/ids.ts";
import { relayDiscordMessage } from "../shared/payloads.ts";
import { eventually, relayHeaders } from "../shared/sign.ts";
import { adminApi, fakeUrl } from "./platforms.ts";

const urls = inject("urls");
const vars = inject("vars");
const community = inject("demoCommunityId");
const roles = fakeRoles(fakeUrl);
const base = `/api/v1/communities/${community}`;

type Member = { userId: string; identities: { platform: string; platformUserId: string }[] };

describe("a label on a member assigns the Discord role", () => {
  it("gives the role at Discord when the label is put on, and removes it when it is taken off", async () => {
    const guild = vars.DEMO_DISCORD_GUILD_ID!;
    const discordId = snowflake();
    const body = relayDiscordMessage({ guildId: guild, channelId: snowflake(), userId: discordId, text: "hello" });
    const hooked = await fetch(`${urls.webhooks}/relay/events`, {
      method: "POST",
      body,
      headers: await relayHeaders(vars.RELAY_SHARED_SECRET!, body),
    });
    expect(hooked.status).toBe(202);
    // The message's activity points make the chatter a member, with their Discord identity.
    const member = await eventually(async () => {
      const list = (await adminApi("GET", `${base}/members`)).body.data as Member[];
      return list.find((m) => m.identities.some((i) => i.platform === "discord" && i.platformUserId === discordId));
    }, 10_000);

    const roleId = snowflake();
    await roles.define("discord", guild, roleId);
    const name = `Supporter ${crypto.randomUUID().slice(0, 6)}`;
    const label = await adminApi("POST", `${base}/labels`, { name });
    expect(label.status).toBe(201);
    const labelId = (label.body.data as { id: string }).id;
    expect((await adminApi("POST", `${base}/entity-groups`, { label: name, platform: "discord", roleId })).status).toBe(
      201,
    );
    expect(await roles.holders("discord", guild, roleId)).toEqual([]);

    expect(
      (await adminApi("POST", `${base}/members/${member.userId}/labels`, { label: name.toUpperCase() })).status,
    ).toBe(200);
    expect(await roles.waitFor("discord", guild, roleId, (m) => m.length > 0)).toEqual([discordId]);

    expect((await adminApi("DELETE", `${base}/members/${member.userId}/labels/${labelId}`)).status).toBe(200);
    expect(await roles.waitFor("discord", guild, roleId, (m) => m.length === 0)).toEqual([]);
  });
});
