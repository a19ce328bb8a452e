/**
 * The first-party modules end to end, the way `npm start` runs them: the demo community has
 * them all installed; a signed Slack event and a signed relay event reach them through the
 * webhooks worker, the router and the modules worker (RPC); and their data survives a restart
 * of the whole local system.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, inject, it } from "vitest";
import { startLocal } from "../../scripts/local.ts";
import { seedDemo } from "../../scripts/seed.ts";
import { fakeBases } from "../shared/fake-control.ts";
import { makeTestVars } from "../support/test-vars.ts";
import { type ChatSystem, relaySays, slackSays } from "./chat-says.ts";
import { adminApi, snowflake } from "./platforms.ts";

const community = inject("demoCommunityId");
const suffix = crypto.randomUUID().slice(0, 6);

describe("first-party modules, end to end", () => {
  it("are all installed in the demo community", async () => {
    const res = await adminApi("GET", `/api/v1/communities/${community}/installations`);
    expect(res.status).toBe(200);
    const names = (res.body.data as { module: string }[]).map((i) => i.module).sort();
    expect(names).toEqual(
      expect.arrayContaining(["alias", "calendar", "counters", "giveaways", "loyalty", "memories", "timers"]),
    );
  });

  it("answer a signed Slack event and a signed relay event", async () => {
    const quote = `Penguins never forget ${suffix}`;
    const added = await slackSays(`!quote add ${quote}`, { user: "U0MODS" });
    const n = /^Quote #(\d+) added\.$/.exec(added)?.[1];
    expect(n, added).toBeDefined();
    expect(await relaySays(`!quote ${n}`)).toBe(`#${n}: ${quote}`);
    expect(await relaySays("!quote frobnicate")).toMatch(/^Usage: !quote/);
    expect(await slackSays("!deaths +1", { user: "U0MODS" })).toBe("Only moderators can change deaths.");
  });

  it("keep their data across a restart of the local system", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "waddlebot-mods-"));
    const own: Record<string, string> = {
      ...makeTestVars(),
      ...fakeBases(inject("fakePlatformUrl")),
      DEMO_SLACK_TEAM_ID: `T${suffix.toUpperCase()}R`,
    };
    const start = () =>
      startLocal({
        ports: { router: 0, webhooks: 0, identity: 0, modules: 0 },
        persistDir: path.join(dir, "state"),
        buildDir: path.join(dir, "build"),
        vars: own,
        prepare: async (db) => void (await seedDemo(db, own)),
      });
    try {
      let system = await start();
      // One Slack member throughout: the calendar's proposal stays theirs to remove.
      const own_ = (): ChatSystem => ({ webhooks: system.urls.webhooks, vars: own });
      const say = (text: string) => slackSays(text, { user: "U0MODS", system: own_() });
      // A moderator (the relay's Discord member) leaves data in the other modules too.
      const moderator = { id: snowflake(), isModerator: true };
      const mod = (text: string) => relaySays(text, { user: moderator, system: own_() });
      expect(await say(`!quote add survives ${suffix}`)).toBe("Quote #1 added.");
      expect(await mod("!deaths set 4")).toBe("Deaths: 4");
      expect(await mod("!inv add sword 2")).toBe("Added 2 sword to relayed.");
      expect(await mod("!alias add hi !quote 1")).toMatch(/^Alias !hi/);
      expect(await mod("!timer add tip 60 0 Hello")).toMatch(/^Timer tip: every 60 minutes/);
      expect(await mod("!giveaway start fish 1h")).toMatch(/^🎁 Giveaway started!/);
      const when = new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 16).replace("T", " ");
      expect(await say(`!event add ${when} Survivor ${suffix}`)).toMatch(/^Event proposed: #1 /);
      await system.dispose();
      system = await start();
      expect(await say("!quote 1")).toBe(`#1: survives ${suffix}`);
      expect(await mod("!deaths")).toBe("Deaths: 4");
      expect(await mod("!inv")).toBe("relayed has: sword ×2");
      expect(await mod("!hi")).toBe(`#1: survives ${suffix}`);
      expect(await mod("!timer list")).toBe("Timers: tip (every 60m, 0 lines)");
      expect(await mod("!giveaway")).toMatch(/^Giveaway open: type fish to enter \(0 entries/);
      // The calendar's proposal is still there, and still its proposer's to remove.
      expect(await say("!event remove 1")).toBe(`Removed: #1 Survivor ${suffix}, ${when} UTC.`);
      await system.dispose();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 90_000);
});
