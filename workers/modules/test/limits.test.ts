import { runInDurableObject } from "cloudflare:test";
import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { MAX_REMINDERS } from "../../../durable-objects/module-scheduler.ts";
import type { ModulesRpc } from "../../../lib/modules/contract.ts";
import { MAX_TIMERS } from "../src/timers/index.ts";
import { communityWith, MOD, say } from "./support.ts";

const modules = (exports as unknown as { default: ModulesRpc }).default;

describe("limits that keep the modules' storage bounded", () => {
  it("refuses a reminder past MAX_REMINDERS pending in a community", async () => {
    const { community } = await communityWith("memories");
    const stub = env.MODULE_SCHEDULER.get(env.MODULE_SCHEDULER.idFromName(community.id));
    const target = { communityId: community.id, platform: "discord" as const, channelId: "1" };
    await runInDurableObject(stub, async (o) => {
      for (let i = 0; i < MAX_REMINDERS; i++)
        expect(await o.remind({ id: `r${i}`, target, text: "x", dueAt: Date.now() + 3_600_000 })).toBe(true);
    });
    expect(await say(community, "discord", "!remind 5m one too many")).toEqual([
      "Too many reminders are pending here; try later.",
    ]);
    expect(await stub.pendingReminders()).toBe(MAX_REMINDERS);
  });

  it("refuses a timer past MAX_TIMERS", async () => {
    const { community } = await communityWith("timers");
    for (let i = 0; i < MAX_TIMERS; i++) await say(community, "discord", `!timer add t${i} 5 0 Hi`, MOD);
    expect(await say(community, "discord", "!timer add extra 5 0 Hi", MOD)).toEqual([
      `This community has ${MAX_TIMERS} timers, the most it can have.`,
    ]);
    const n = await env.DB.prepare("SELECT count(*) AS n FROM module_timers WHERE community_id = ?")
      .bind(community.id)
      .first<{ n: number }>();
    expect(n?.n).toBe(MAX_TIMERS);
  });

  it("takes no giveaway entry after the giveaway's time is up", async () => {
    const { community } = await communityWith("giveaways");
    await say(community, "discord", "!giveaway start late 10s", MOD);
    await env.DB.prepare("UPDATE giveaways SET ends_at = ? WHERE community_id = ?")
      .bind(Date.now() - 1000, community.id)
      .run();
    // The chat-line listener, called directly (the router defers it), so the check is not a race.
    await modules.call("giveaways", {
      sessionId: "s",
      eventId: "e",
      eventType: "message",
      communityId: community.id,
      platform: "discord",
      channel: { id: "c" },
      user: { id: "late-1", username: "late", level: "everyone" },
      text: "late",
      simulated: false,
    });
    const n = await env.DB.prepare("SELECT count(*) AS n FROM giveaway_entries").first<{ n: number }>();
    expect(n?.n).toBe(0);
    expect(await say(community, "discord", "!giveaway")).toEqual(["No giveaway is open right now."]);
    expect(await say(community, "discord", "!giveaway draw", MOD)).toEqual(["Nobody entered the giveaway."]);
  });
});
