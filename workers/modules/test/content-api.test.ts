import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createUserWithKey } from "../../../test/workerd/fixtures.ts";
import { api, communityWith, MOD, say } from "./support.ts";

type Content = {
  quotes: { number: number; text: string }[];
  counters: { name: string; value: number }[];
  giveaways: { keyword: string; status: string }[];
  timers: { name: string; intervalMin: number }[];
};

describe("the first-party content API (portal pages)", () => {
  it("shows a community's quotes, counters, giveaways and timers, and deletes a quote (audited)", async () => {
    const { community, authorization } = await communityWith("memories", "counters", "giveaways", "timers");
    await say(community, "discord", "!quote add first");
    await say(community, "discord", "!quote add second");
    await say(community, "discord", "!deaths set 3", MOD);
    await say(community, "discord", "!giveaway start fish 5m", MOD);
    await say(community, "discord", "!timer add tip 10 2 Hello", MOD);
    const res = await api<Content>("GET", `/api/v1/communities/${community.id}/first-party/content`, authorization);
    expect(res.status, res.message).toBe(200);
    expect(res.data.quotes.map((q) => [q.number, q.text])).toEqual([
      [2, "second"],
      [1, "first"],
    ]);
    expect(res.data.counters).toEqual([{ name: "deaths", value: 3 }]);
    expect(res.data.giveaways).toMatchObject([{ keyword: "fish", status: "open" }]);
    expect(res.data.timers).toMatchObject([{ name: "tip", intervalMin: 10 }]);

    const del = await api("DELETE", `/api/v1/communities/${community.id}/first-party/quotes/1`, authorization);
    expect(del.status, del.message).toBe(200);
    const audit = await env.DB.prepare("SELECT action, target_id FROM audit_log WHERE community_id = ? AND action = ?")
      .bind(community.id, "module.quote.delete")
      .first();
    expect(audit).toMatchObject({ target_id: "1" });
    expect(await say(community, "discord", "!quote 1")).toEqual(["There is no quote #1."]);
  });

  it("answers 404 for a missing quote, 400 for a bad number and 403 for a member who may not change modules", async () => {
    const { community, authorization } = await communityWith("memories");
    await say(community, "discord", "!quote add stay");
    expect(
      (await api("DELETE", `/api/v1/communities/${community.id}/first-party/quotes/9`, authorization)).status,
    ).toBe(404);
    expect(
      (await api("DELETE", `/api/v1/communities/${community.id}/first-party/quotes/zero`, authorization)).status,
    ).toBe(400);
    expect(
      (await api("DELETE", `/api/v1/communities/${community.id}/first-party/quotes/0`, authorization)).status,
    ).toBe(400);
    const member = await createUserWithKey({ communityId: community.id, role: "member" });
    expect(
      (await api("DELETE", `/api/v1/communities/${community.id}/first-party/quotes/1`, member.authorization)).status,
    ).toBe(403);
    expect(await say(community, "discord", "!quote 1")).toEqual(["#1: stay"]);
  });
});
