import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { api, communityWith, MOD, PLATFORMS, say } from "./support.ts";

const value = async (communityId: string, name: string) =>
  (
    await env.DB.prepare("SELECT value FROM module_counters WHERE community_id = ? AND name = ?")
      .bind(communityId, name)
      .first<{ value: number }>()
  )?.value ?? null;

describe("the counters module", () => {
  it("counts deaths on every platform: read by anyone, +1/-1/set by moderators", async () => {
    const { community } = await communityWith("counters");
    for (const [i, platform] of PLATFORMS.entries()) {
      expect(await say(community, platform, "!deaths +1", MOD)).toEqual([`Deaths: ${i + 1}`]);
    }
    expect(await say(community, "twitch", "!deaths")).toEqual(["Deaths: 3"]);
    expect(await say(community, "slack", "!deaths -1", MOD)).toEqual(["Deaths: 2"]);
    expect(await say(community, "discord", "!deaths set 5", MOD)).toEqual(["Deaths: 5"]);
    expect(await say(community, "discord", "!counter wins +2", MOD)).toEqual(["Wins: 2"]);
    expect(await value(community.id, "deaths")).toBe(5);
  });

  it("refuses changes from a viewer and bad input with a usage line, leaving the value as it was", async () => {
    const { community } = await communityWith("counters");
    await say(community, "discord", "!deaths set 7", MOD);
    expect(await say(community, "twitch", "!deaths +1")).toEqual(["Only moderators can change deaths."]);
    for (const bad of [
      "!deaths banana",
      "!deaths set",
      "!deaths set ten",
      "!deaths +5000",
      "!deaths set 99999999999",
      "!counter",
      "!counter Bad!Name",
    ]) {
      const [answer] = await say(community, "discord", bad, MOD);
      expect(answer, bad).toMatch(/^Usage: /);
    }
    expect(await value(community.id, "deaths")).toBe(7);
  });

  it("fills {counter:deaths} in a custom text command", async () => {
    const { community, authorization } = await communityWith("counters");
    await say(community, "discord", "!deaths set 4", MOD);
    const created = await api("POST", `/api/v1/communities/${community.id}/commands`, authorization, {
      name: "rip",
      response: "{user} has seen {counter:deaths} deaths",
    });
    expect(created.status, created.message).toBe(201);
    expect(await say(community, "discord", "!rip", { username: "gus" })).toEqual(["gus has seen 4 deaths"]);
    const bad = await api("POST", `/api/v1/communities/${community.id}/commands`, authorization, {
      name: "rip2",
      response: "{counter:Not Valid}",
    });
    expect(bad.status).toBe(400);
  });

  it("is not there for a community that did not install it", async () => {
    const { community } = await communityWith();
    expect(await say(community, "discord", "!deaths +1", MOD)).toEqual([]);
  });
});
