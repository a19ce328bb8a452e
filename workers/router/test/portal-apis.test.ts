import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createCommunity, createUserWithKey } from "../../../test/workerd/fixtures.ts";
import { api, chat, send } from "./support/router.ts";

type Stats = {
  members: number;
  days: { date: string; commands: number; events: number }[];
  topCommands: { command: string; count: number }[];
  recentModeration: { rule: string | null; action: string | null }[];
};
type TestResult = { matched: boolean; rule: { name: string; action: string } | null; skipped: { reason: string }[] };

async function setup(role: "admin" | "moderator" | "member" = "admin") {
  const community = await createCommunity();
  const { authorization } = await createUserWithKey({ communityId: community.id, role });
  return { community, authorization, base: `/api/v1/communities/${community.id}` };
}

/** Executions and audit entries are written after the reply (waitUntil): give them a moment. */
const settle = () => new Promise((r) => setTimeout(r, 150));

describe("GET /api/v1/communities/{id}/stats", () => {
  it("counts members, commands per day, top commands and recent moderation", async () => {
    const { community, authorization, base } = await setup();
    await api("POST", `${base}/commands`, authorization, { name: "hello", response: "hi" });
    await api("POST", `${base}/moderation/rules`, authorization, {
      name: "no scams",
      matchType: "word",
      pattern: "scam",
      action: "delete",
    });
    // Real chat events (simulated tries are left out of the stats: simulate-dry-run.test.ts).
    for (const text of ["!hello", "!hello", "!ping", "a scam here"]) await send(chat(community, text));
    // Executions are audited in batches after the reply: wait until the three commands are in.
    const read = () => api<Stats>("GET", `${base}/stats?days=7`, authorization);
    await expect.poll(async () => (await read()).data.days.at(-1)?.commands, { timeout: 5_000 }).toBe(3);
    await expect.poll(async () => (await read()).data.recentModeration.length, { timeout: 5_000 }).toBe(1);
    const res = await read();
    expect(res.status).toBe(200);
    expect(res.data.members).toBe(1);
    expect(res.data.days).toHaveLength(7);
    expect(res.data.days.at(-1)).toMatchObject({ date: new Date().toISOString().slice(0, 10), commands: 3 });
    expect(res.data.days.at(-1)!.events).toBeGreaterThan(0);
    expect(res.data.topCommands).toEqual([
      { command: "!hello", count: 2 },
      { command: "!ping", count: 1 },
    ]);
    expect(res.data.recentModeration).toMatchObject([{ rule: "no scams", action: "delete" }]);
  });

  it("answers 30 empty days for a quiet community, and 400 for days out of range", async () => {
    const { authorization, base } = await setup("moderator");
    const res = await api<Stats>("GET", `${base}/stats`, authorization);
    expect(res.data.days).toHaveLength(30);
    expect(res.data.days.every((d) => d.commands === 0)).toBe(true);
    expect((await api("GET", `${base}/stats?days=91`, authorization)).status).toBe(400);
  });

  it("refuses members below moderator with 403", async () => {
    const { authorization, base } = await setup("member");
    expect((await api("GET", `${base}/stats`, authorization)).status).toBe(403);
  });
});

describe("POST /api/v1/communities/{id}/moderation/test", () => {
  it("names the first matching rule in priority order, and records nothing", async () => {
    const { authorization, base } = await setup();
    const rule = (name: string, pattern: string, priority: number) =>
      api("POST", `${base}/moderation/rules`, authorization, {
        name,
        matchType: "contains",
        pattern,
        action: "timeout",
        priority,
      });
    await rule("later", "spam", 20);
    await rule("first", "spam", 10);
    const res = await api<TestResult>("POST", `${base}/moderation/test`, authorization, { text: "buy SPAM now" });
    expect(res.data).toMatchObject({ matched: true, rule: { name: "first", action: "timeout" } });
    await settle();
    expect((await api<Stats>("GET", `${base}/stats`, authorization)).data.recentModeration).toEqual([]);
  });

  it("says when nothing matches, and skips rules the sender's level is exempt from", async () => {
    const { authorization, base } = await setup("moderator");
    const admin = await setup();
    expect((await api<TestResult>("POST", `${base}/moderation/test`, authorization, { text: "hi" })).data.matched).toBe(
      false,
    );
    const created = await api("POST", `${admin.base}/moderation/rules`, admin.authorization, {
      name: "x filter",
      matchType: "contains",
      pattern: "x",
      action: "delete",
      exemptLevel: "vip",
    });
    expect(created.status).toBe(201);
    const res = await api<TestResult>("POST", `${admin.base}/moderation/test`, admin.authorization, {
      text: "x",
      level: "vip",
    });
    expect(res.data.matched).toBe(false);
    expect(res.data.skipped[0]!.reason).toContain("exempt");
  });

  it("refuses an empty message with 400", async () => {
    const { authorization, base } = await setup();
    expect((await api("POST", `${base}/moderation/test`, authorization, { text: "" })).status).toBe(400);
  });
});

describe("GET /api/v1/system/health", () => {
  it("reports the router, identity and webhooks workers for any signed-in user", async () => {
    const { authorization } = await setup("member");
    const res = await api<{ workers: { worker: string; status: string }[] }>(
      "GET",
      "/api/v1/system/health",
      authorization,
    );
    expect(res.status).toBe(200);
    expect(res.data.workers).toEqual([
      expect.objectContaining({ worker: "router", status: "ok" }),
      expect.objectContaining({ worker: "identity", status: "ok" }),
      expect.objectContaining({ worker: "webhooks", status: "ok" }),
    ]);
  });

  it("refuses anonymous callers with 401", async () => {
    expect((await api("GET", "/api/v1/system/health", "")).status).toBe(401);
  });

  it("reaches only the webhooks worker's health through DELIVERY, none of its platform routes", async () => {
    const delivery = (env as unknown as { DELIVERY: Fetcher }).DELIVERY;
    const at = (path: string, init?: RequestInit) => delivery.fetch(`https://webhooks.internal${path}`, init);
    expect((await at("/health")).status).toBe(200);
    for (const path of ["/discord/interactions", "/relay/events", "/slack/events"]) {
      expect((await at(path, { method: "POST", body: "{}" })).status, path).toBe(404);
    }
  });
});
