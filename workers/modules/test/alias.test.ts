import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { api, communityWith, MOD, say } from "./support.ts";

const aliases = async (communityId: string) =>
  (
    await env.DB.prepare("SELECT name, target FROM command_aliases WHERE community_id = ? ORDER BY name")
      .bind(communityId)
      .all()
  ).results;

describe("the alias module", () => {
  it("adds, lists, expands {args} once on every platform, and removes", async () => {
    const { community } = await communityWith("alias", "counters");
    expect(await say(community, "discord", "!alias add d !deaths {args}", MOD)).toEqual(["Alias !d → !deaths {args}"]);
    expect(await say(community, "twitch", "!d +1", MOD)).toEqual(["Deaths: 1"]);
    expect(await say(community, "slack", "!d")).toEqual(["Deaths: 1"]);
    // Without {args}, the arguments are appended (as a shell alias does).
    await say(community, "discord", "!alias add dd !deaths", MOD);
    expect(await say(community, "discord", "!dd set 9", MOD)).toEqual(["Deaths: 9"]);
    expect(await say(community, "discord", "!alias list")).toEqual(["Aliases: !d → !deaths {args}, !dd → !deaths"]);
    expect(await say(community, "discord", "!alias remove d", MOD)).toEqual(["Alias !d removed."]);
    expect(await say(community, "discord", "!d")).toEqual([]);
  });

  it("keeps the target's level: a viewer's alias to a moderator command is denied", async () => {
    const { community, authorization } = await communityWith("alias");
    const res = await api("POST", `/api/v1/communities/${community.id}/commands`, authorization, {
      name: "secret",
      response: "for mods",
      minLevel: "moderator",
    });
    expect(res.status, res.message).toBe(201);
    await say(community, "discord", "!alias add s !secret", MOD);
    expect(await say(community, "discord", "!s")).toEqual([]);
    expect(await say(community, "discord", "!s", MOD)).toEqual(["for mods"]);
  });

  it("expands once: aliases of aliases do not loop", async () => {
    const { community } = await communityWith("alias");
    await say(community, "discord", "!alias add a !b", MOD);
    await say(community, "discord", "!alias add b !a", MOD);
    expect(await say(community, "discord", "!a")).toEqual([]);
  });

  it("refuses viewers, bad names, self-aliases, over-long and non-command targets; the store is unchanged", async () => {
    const { community } = await communityWith("alias");
    expect(await say(community, "discord", "!alias add x !so")).toEqual(["Only moderators can add aliases."]);
    expect((await say(community, "discord", "!alias frobnicate", MOD))[0]).toMatch(/^Usage: /);
    expect((await say(community, "discord", "!alias add", MOD))[0]).toMatch(/^Usage: /);
    expect((await say(community, "discord", "!alias add B@d !so", MOD))[0]).toMatch(/^Usage: /);
    expect(await say(community, "discord", "!alias add so !so", MOD)).toEqual(["!so cannot be an alias of itself."]);
    expect(await say(community, "discord", "!alias add so hello", MOD)).toEqual([
      "An alias must run a ! command, e.g. !alias add so !shoutout {args}",
    ]);
    expect((await say(community, "discord", `!alias add long !so ${"x".repeat(200)}`, MOD))[0]).toMatch(/too long/);
    expect(await say(community, "discord", "!alias remove nope", MOD)).toEqual(["There is no alias !nope."]);
    expect(await aliases(community.id)).toEqual([]);
  });
});
