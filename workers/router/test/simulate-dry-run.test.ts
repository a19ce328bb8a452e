/**
 * Simulate runs dry (issue 10, item 1): no use counts, no strikes, rate-limit buckets of its
 * own, and executions marked simulated that the dashboard's stats leave out.
 */
import { describe, expect, it } from "vitest";
import { call } from "../../../test/workerd/self.ts";
import { chat, send, texts } from "./support/router.ts";
import { count, simSetup } from "./support/simulate.ts";

type Stats = {
  days: { date: string; commands: number }[];
  topCommands: { command: string; count: number }[];
  recentModeration: unknown[];
};
const useCount = (id: string) => count("SELECT use_count AS n FROM commands WHERE id = ?", id);

describe("simulate is a dry run", () => {
  it("does not count a use: {count} shows the next use and the stored count stays", async () => {
    const { community, simulateOk, admin } = await simSetup();
    const made = await admin<{ id: string }>("POST", "/commands", { name: "hug", response: "hug #{count}" });
    expect(made.status).toBe(201);
    expect(texts(await simulateOk({ text: "!hug" }))).toEqual(["hug #1"]);
    expect(texts(await simulateOk({ text: "!hug" }))).toEqual(["hug #1"]);
    expect(await useCount(made.data.id)).toBe(0);
    // A real use counts; the next try shows the use after it.
    expect(texts(await send(chat(community, "!hug")))).toEqual(["hug #1"]);
    expect(await useCount(made.data.id)).toBe(1);
    const after = await simulateOk({ text: "!hug" });
    expect(texts(after)).toEqual(["hug #2"]);
    expect(after.wouldDo).toContain("count a use of !hug");
    expect(await useCount(made.data.id)).toBe(1);
  });

  it("does not count a use of a template without {count} either", async () => {
    const { community, simulateOk, admin } = await simSetup();
    const made = await admin<{ id: string }>("POST", "/commands", { name: "wave", response: "o/" });
    await simulateOk({ text: "!wave" });
    await simulateOk({ text: "!wave" });
    // A live use of this template would count after the reply; the write queued before this
    // PATCH, so the real use below (counted before its reply) reads every earlier use.
    expect((await admin("PATCH", `/commands/${made.data.id}`, { response: "wave #{count}" })).status).toBe(200);
    expect(texts(await send(chat(community, "!wave")))).toEqual(["wave #1"]);
  });

  it("a try never spends or waits on a real user's cooldown (same label as their id), and vice versa", async () => {
    const { community, simulateOk, admin } = await simSetup();
    const real = { id: `7${Date.now()}` };
    for (const name of ["cool", "cool2"]) {
      expect(
        (await admin("POST", "/commands", { name, response: "ok", globalCooldownSec: 600, userCooldownSec: 600 }))
          .status,
      ).toBe(201);
    }
    // Real first: the try still runs.
    expect((await send(chat(community, "!cool", real))).status).toBe("processed");
    expect((await send(chat(community, "!cool", real))).status).toBe("rate_limited");
    await simulateOk({ text: "!cool", userId: real.id });
    // Try first: the real user still runs.
    await simulateOk({ text: "!cool2", userId: real.id });
    expect((await send(chat(community, "!cool2", real))).status).toBe("processed");
  });

  it("tries have cooldowns of their own (a second try inside the cooldown answers 429)", async () => {
    const { simulate, admin } = await simSetup();
    await admin("POST", "/commands", { name: "slow", response: "ok", globalCooldownSec: 600 });
    expect((await simulate({ text: "!slow", userId: "a" })).status).toBe(200);
    const limited = await simulate({ text: "!slow", userId: "b" });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(0);
  });

  it("writes no moderation strike and shows what escalation would do", async () => {
    const { community, simulateOk, admin } = await simSetup();
    const rule = await admin("POST", "/moderation/rules", {
      name: "spoilers",
      matchType: "word",
      pattern: "spoiler",
      action: "warn",
      actionConfig: { message: "strike {count}" },
      escalation: [{ strikes: 1, action: "timeout", durationSec: 60 }],
    });
    expect(rule.status).toBe(201);
    const strikes = () => count("SELECT count(*) AS n FROM moderation_strikes WHERE community_id = ?", community.id);
    const tries = [];
    for (let i = 0; i < 3; i++) tries.push(await simulateOk({ text: "a spoiler here" }, "moderated"));
    expect(await strikes()).toBe(0);
    for (const out of tries) {
      expect(out.actions).toMatchObject([{ type: "delete" }, { type: "timeout" }]);
      expect(out.wouldDo).toContain("count a moderation strike");
    }
    // The same rule on a real event does count (the check above can see a strike row).
    await send(chat(community, "a spoiler here"));
    expect(await strikes()).toBe(1);
  });

  it("marks executions simulated, and the dashboard's stats leave them and their audit entries out", async () => {
    const { community, simulateOk, admin } = await simSetup();
    await admin("POST", "/moderation/rules", { name: "scams", matchType: "word", pattern: "scam", action: "delete" });
    await simulateOk({ text: "!ping" });
    await simulateOk({ text: "a scam here" }, "moderated");
    const simulatedRows = () =>
      count("SELECT count(*) AS n FROM command_executions WHERE community_id = ? AND simulated = 1", community.id);
    const simulatedAudit = () =>
      count(
        `SELECT count(*) AS n FROM audit_log WHERE community_id = ? AND json_extract(details, '$.simulated') = 1
         AND action IN ('moderation.matched', 'simulate.run')`,
        community.id,
      );
    // Written after the answer (batched): wait for the rows, then read the stats.
    await expect.poll(simulatedRows, { timeout: 5_000 }).toBe(1);
    await expect.poll(simulatedAudit, { timeout: 5_000 }).toBe(3);
    const stats = async () => (await admin<Stats>("GET", "/stats?days=1")).data;
    expect((await stats()).days.at(-1)!.commands).toBe(0);
    expect((await stats()).topCommands).toEqual([]);
    expect((await stats()).recentModeration).toEqual([]);
    // A real command is counted (so a zero above is not a broken query).
    await send(chat(community, "!ping"));
    await expect.poll(async () => (await stats()).days.at(-1)!.commands, { timeout: 5_000 }).toBe(1);
    expect((await stats()).topCommands).toEqual([{ command: "!ping", count: 1 }]);
    const listed = await admin<{ items: { simulated: boolean; userId: string }[] }>("GET", "/executions");
    expect(listed.data.items.map((e) => e.simulated).sort()).toEqual([false, true]);
    expect(listed.data.items.find((e) => e.simulated)?.userId).toMatch(/^sim:/);
  });

  it("leaves /metrics alone (commands, denials, rate limits are real traffic only)", async () => {
    const { simulate, simulateOk, admin } = await simSetup();
    await admin("POST", "/commands", { name: "modonly", response: "ok", minLevel: "moderator" });
    await admin("POST", "/commands", { name: "once", response: "ok", globalCooldownSec: 600 });
    const metric = async (name: string) =>
      Number(new RegExp(`^${name} (\\d+)$`, "m").exec(await (await call("/metrics")).text())?.[1] ?? 0);
    const names = [
      'waddlebot_router_commands_total{status="success"}',
      'waddlebot_router_commands_total{status="denied"}',
      'waddlebot_router_commands_total{status="rate_limited"}',
      "waddlebot_router_rate_limited_total",
    ].map((n) => n.replace(/[{}]/g, "\\$&"));
    const read = async () => Promise.all(names.map(metric));
    const before = await read();
    await simulateOk({ text: "!ping" });
    await simulateOk({ text: "!modonly" }, "denied");
    await simulateOk({ text: "!once" });
    expect((await simulate({ text: "!once" })).status).toBe(429);
    expect(await read()).toEqual(before);
  });
});
