import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { communityWith, MOD, say } from "./support.ts";

const items = async (communityId: string) =>
  (
    await env.DB.prepare(
      "SELECT owner, item, quantity FROM inventory_items WHERE community_id = ? ORDER BY owner, item",
    )
      .bind(communityId)
      .all()
  ).results;

describe("the inventory module", () => {
  it("adds items (moderators, audited), lists them, and gives them between users on every platform", async () => {
    const { community } = await communityWith("inventory");
    const ada = { username: "ada" };
    expect(await say(community, "twitch", "!inv add sword 2 @ada", MOD)).toEqual(["Added 2 sword to ada."]);
    expect(await say(community, "twitch", "!inv add shield", MOD)).toEqual(["Added 1 shield to penguin."]);
    expect(await say(community, "twitch", "!inv", ada)).toEqual(["ada has: sword ×2"]);
    expect(await say(community, "twitch", "!inv give @bob sword", ada)).toEqual(["ada gave 1 sword to bob."]);
    expect(await say(community, "twitch", "!inv @bob")).toEqual(["bob has: sword ×1"]);
    expect(await say(community, "twitch", "!inv give @bob sword 5", ada)).toEqual(["You do not have 5 sword."]);
    expect(await say(community, "discord", "!inv add potion 3 community", MOD)).toEqual([
      "Added 3 potion to The community.",
    ]);
    expect(await say(community, "slack", "!inv community")).toEqual(["The community has: potion ×3"]);
    expect(await say(community, "twitch", "!inv remove sword 1 @ada", MOD)).toEqual(["Removed 1 sword from ada."]);
    expect(await say(community, "twitch", "!inv", ada)).toEqual(["ada has nothing yet."]);
    const audit = await env.DB.prepare(
      "SELECT count(*) AS n FROM audit_log WHERE community_id = ? AND action LIKE 'module.inventory.%'",
    )
      .bind(community.id)
      .first<{ n: number }>();
    expect(audit?.n).toBe(4);
  });

  it("refuses viewers, bad items and quantities, giving to oneself; nothing changes", async () => {
    const { community } = await communityWith("inventory");
    await say(community, "discord", "!inv add gem 1 @ada", MOD);
    const before = await items(community.id);
    expect(await say(community, "discord", "!inv add gem 5")).toEqual(["Only moderators can add items."]);
    for (const bad of [
      "!inv dance",
      "!inv add",
      "!inv add Bad!Item",
      "!inv add gem 0",
      "!inv add gem 2000000",
      "!inv give",
      "!inv give @bob",
      "!inv give @bob gem -1",
      `!inv add ${"g".repeat(33)}`,
    ])
      expect((await say(community, "discord", bad, MOD))[0], bad).toMatch(/^Usage: /);
    expect(await say(community, "discord", "!inv give @ada gem", { username: "ada" })).toEqual([
      "You cannot give an item to yourself.",
    ]);
    expect(await say(community, "discord", "!inv remove gem 9 @ada", MOD)).toEqual(["ada does not have 9 gem."]);
    expect(await items(community.id)).toEqual(before);
  });
});
