import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { createDb } from "../../../lib/db/client.ts";
import type { ModuleCall } from "../../../lib/modules/contract.ts";
import { countedD1 } from "../../../test/workerd/counted-d1.ts";
import { calendar } from "../src/calendar/index.ts";
import { isTimeZone, TIME_ZONES } from "../src/calendar/when.ts";
import type { Env } from "../src/env.ts";
import { ADA, at, BOB, DAY, rows, scheduler } from "./calendar-support.ts";
import { api, type Community, communityWith, line, MOD, say, send } from "./support.ts";

async function proposed(community: Community, when = at(3 * DAY), title = "Game night") {
  const [answer] = await say(community, "discord", `!event add ${when} ${title}`, ADA);
  const n = /^Event proposed: #(\d+) /.exec(answer ?? "")?.[1];
  expect(n, answer).toBeDefined();
  return Number(n);
}

describe("the calendar module: events with approval", () => {
  it("members propose, moderators approve, !events lists, !rsvp counts — on all three platforms", async () => {
    const { community } = await communityWith("calendar");
    const when = at(3 * DAY);
    expect(await say(community, "discord", `!event add ${when} 2h Game night`, ADA)).toEqual([
      `Event proposed: #1 Game night, ${when} UTC. A moderator will approve it (!event approve 1).`,
    ]);
    expect((await say(community, "slack", "!events"))[0]).toMatch(/^No upcoming events\./);
    expect(await say(community, "twitch", "!event pending", MOD)).toEqual([
      `Waiting for approval: #1 Game night, ${when} UTC`,
    ]);
    expect(await say(community, "twitch", "!event approve 1", MOD)).toEqual([`Approved: #1 Game night, ${when} UTC.`]);
    expect(await say(community, "slack", "!rsvp 1", BOB)).toEqual(["bob is going to #1 Game night (1 going)."]);
    expect(await say(community, "discord", "!rsvp #1", ADA)).toEqual(["ada is going to #1 Game night (2 going)."]);
    expect(await say(community, "discord", "!rsvp 1", ADA)).toEqual(["ada is going to #1 Game night (2 going)."]);
    expect(await say(community, "twitch", "!rsvp 1 no", BOB)).toEqual(["bob is not going to #1 Game night (2 going)."]);
    // Bob RSVP'd on Slack; "no" on Twitch is another platform user: still 2. On Slack it counts.
    expect(await say(community, "slack", "!rsvp 1 no", BOB)).toEqual(["bob is not going to #1 Game night (1 going)."]);
    expect(await say(community, "twitch", "!events")).toEqual([`Upcoming: #1 Game night, ${when} UTC (1 going)`]);
    // A moderator's own event needs no approval.
    const later = at(5 * DAY);
    expect(await say(community, "slack", `!event add ${later} Watch party`, MOD)).toEqual([
      `Event added: #2 Watch party, ${later} UTC.`,
    ]);
    expect(await say(community, "discord", "!event 2")).toEqual([
      `#2 Watch party, ${later} UTC (0 going), proposed by penguin.`,
    ]);
    const stored = await rows(community.id);
    expect(stored.map((r) => [r.number, r.status])).toEqual([
      [1, "approved"],
      [2, "approved"],
    ]);
    expect(stored[0]!.ends_at - stored[0]!.starts_at).toBe(2 * 3_600_000);
  });

  it("answers usage lines and clear errors for bad input, and stores nothing", async () => {
    const { community } = await communityWith("calendar");
    for (const bad of [
      "!event",
      "!event frob",
      "!event add",
      "!event add 2030-01-01",
      "!event approve x",
      "!event remove",
    ])
      expect((await say(community, "discord", bad, MOD))[0], bad).toMatch(/^Usage: !event add <YYYY-MM-DD> <HH:MM>/);
    for (const date of ["2030-02-30 18:00", "2030-01-01 25:00", "tomorrow 18:00", "2030-1-1 18:00", "2030-01-01 6pm"])
      expect((await say(community, "slack", `!event add ${date} Party`))[0], date).toMatch(
        /is not a date and time: write it as 2026-12-24 18:00 \(UTC\)\.$/,
      );
    expect(await say(community, "twitch", `!event add ${at(-DAY)} Yesterday`)).toEqual([
      "That time has passed: an event must start in the future.",
    ]);
    expect(await say(community, "twitch", `!event add ${at(3 * 365 * DAY)} Far`)).toEqual([
      "That is too far ahead: plan events up to two years out.",
    ]);
    expect(await say(community, "discord", `!event add ${at(DAY)} ${"x".repeat(101)}`)).toEqual([
      "That title is too long (100 characters at most).",
    ]);
    expect((await say(community, "discord", "!rsvp"))[0]).toMatch(/^Usage: !rsvp <event number> \[no\]/);
    expect((await say(community, "discord", "!rsvp 1 maybe"))[0]).toMatch(/^Usage: /);
    expect(await say(community, "discord", "!rsvp 9")).toEqual(["There is no upcoming event #9."]);
    expect(await say(community, "discord", "!event approve 9", MOD)).toEqual(["There is no event #9."]);
    expect(await say(community, "discord", "!event remove 9", MOD)).toEqual(["There is no event #9."]);
    expect(await rows(community.id)).toEqual([]);
  });

  it("lets only moderators decide and only the owner or a moderator remove", async () => {
    const { community } = await communityWith("calendar");
    const [first, second] = [at(3 * DAY), at(4 * DAY)];
    const n = await proposed(community, first);
    expect(await say(community, "discord", `!event approve ${n}`, BOB)).toEqual([
      "Only moderators can approve events.",
    ]);
    expect(await say(community, "discord", "!event pending", BOB)).toEqual(["Only moderators can see pending events."]);
    // Pending events are not for RSVPs, and a viewer does not see them.
    expect(await say(community, "slack", `!rsvp ${n}`, BOB)).toEqual([`There is no upcoming event #${n}.`]);
    expect(await say(community, "slack", `!event ${n}`, BOB)).toEqual([`There is no event #${n}.`]);
    expect(await say(community, "discord", `!event remove ${n}`, BOB)).toEqual([
      "Only the event's owner or a moderator can remove it.",
    ]);
    expect((await rows(community.id)).map((r) => r.status)).toEqual(["pending"]);
    expect(await say(community, "twitch", `!event reject ${n}`, MOD)).toEqual([
      `Rejected: #${n} Game night, ${first} UTC.`,
    ]);
    expect(await say(community, "twitch", `!event approve ${n}`, MOD)).toEqual([`#${n} is not pending.`]);
    // The owner removes their own proposal (a new one), on the platform they proposed it on.
    const m = await proposed(community, second, "Second try");
    expect(await say(community, "discord", `!event remove ${m}`, ADA)).toEqual([
      `Removed: #${m} Second try, ${second} UTC.`,
    ]);
    expect((await rows(community.id)).map((r) => r.number)).toEqual([n]);
  });

  it("keeps its limits: per-person and per-community queues, planned events, RSVPs, durations, tries", async () => {
    const { community, authorization } = await communityWith("calendar");
    for (let i = 0; i < 3; i++) await proposed(community, at((i + 1) * DAY), `Idea ${i}`);
    expect(await say(community, "discord", `!event add ${at(5 * DAY)} One more`, ADA)).toEqual([
      "You have 3 events waiting for approval already.",
    ]);
    for (const d of ["30h", "4m", "0h"])
      expect(await say(community, "discord", `!event add ${at(DAY)} ${d} Long`, BOB), d).toEqual([
        "An event lasts from 5m to 24h (e.g. 90m or 2h).",
      ]);
    // A try (the portal's simulate) answers without writing.
    const tried = await api<{ replies: { text: string }[] }>(
      "POST",
      `/api/v1/communities/${community.id}/simulate`,
      authorization,
      { text: `!event add ${at(DAY)} Dry run`, level: "moderator" },
    );
    expect(tried.data.replies[0]?.text).toBe("!event would change data, so a try does not run it.");
    expect(await rows(community.id)).toHaveLength(3);
    // Fill the community's queue (47 more pending) and its plan (197 approved) straight in D1.
    const fill = (n: number, status: string, from: number) =>
      env.DB.prepare(
        `WITH RECURSIVE k(i) AS (SELECT ?2 UNION ALL SELECT i + 1 FROM k WHERE i < ?2 + ?3 - 1)
         INSERT INTO calendar_events (id, community_id, number, title, starts_at, ends_at, status, proposed_by_platform,
           proposed_by_id, proposed_by, channels, created_at, updated_at)
         SELECT lower(hex(randomblob(16))), ?1, i, 'filler', ?4, ?4 + 3600000, ?5, 'slack', 'u-' || i, 'filler', '[]', ?4, ?4 FROM k`,
      )
        .bind(community.id, from, n, Date.now() + DAY, status)
        .run();
    await fill(47, "pending", 100);
    expect(await say(community, "slack", `!event add ${at(DAY)} Fifty-first`, BOB)).toEqual([
      "Too many events are waiting for approval; try later.",
    ]);
    await fill(150, "approved", 200);
    expect(await say(community, "slack", `!event add ${at(DAY)} Two hundred and first`, MOD)).toEqual([
      "This community has 200 events planned, the most it can have.",
    ]);
    expect(await rows(community.id)).toHaveLength(200);
  });

  it("forgets events that ended 90 days ago and proposals rejected a week ago, when the next one is proposed", async () => {
    const { community } = await communityWith("calendar");
    const old = (number: number, status: string, endedAgo: number, updatedAgo: number) =>
      env.DB.prepare(
        `INSERT INTO calendar_events (id, community_id, number, title, starts_at, ends_at, status, proposed_by_platform,
           proposed_by_id, proposed_by, channels, created_at, updated_at)
         VALUES (?1, ?2, ?3, 'old', ?4, ?4, ?5, 'slack', 'u', 'u', '[]', ?6, ?6)`,
      )
        .bind(crypto.randomUUID(), community.id, number, Date.now() - endedAgo, status, Date.now() - updatedAgo)
        .run();
    await old(1, "approved", 91 * DAY, 100 * DAY); // ended over 90 days ago: gone
    await old(2, "approved", 10 * DAY, 20 * DAY); // ended recently: kept (the feed shows 30 days back)
    await old(3, "rejected", -30 * DAY, 8 * DAY); // rejected over a week ago: gone
    await old(4, "rejected", -30 * DAY, DAY); // rejected yesterday: kept
    expect((await proposed(community, at(DAY), "New")) > 4).toBe(true);
    expect((await rows(community.id)).map((r) => r.number)).toEqual([2, 4, 5]);
  });

  it("caps RSVPs per event and the channels one event reminds", async () => {
    const { community } = await communityWith("calendar");
    expect((await say(community, "discord", `!event add ${at(DAY)} Packed`, MOD))[0]).toMatch(/^Event added: #1 /);
    for (let i = 0; i < 6; i++)
      await send(line(community, "slack", "!rsvp 1", { id: `u-${i}`, username: `p${i}` }, `C0CHAN${i}`));
    // Proposed on Discord + the first four Slack channels: five, the most one event reminds.
    expect(await scheduler(community.id).remindersLike("cal:")).toHaveLength(5);
    const { id } = (await env.DB.prepare("SELECT id FROM calendar_events WHERE community_id = ?")
      .bind(community.id)
      .first<{ id: string }>())!;
    await env.DB.prepare(
      `WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k WHERE i < 4994)
       INSERT INTO calendar_rsvps (event_id, platform, user_id, username, created_at)
       SELECT ?1, 'twitch', 'fill-' || i, 'fill', 0 FROM k`,
    )
      .bind(id)
      .run();
    expect(await say(community, "twitch", "!rsvp 1", BOB)).toEqual(["#1 has 5000 people going, the most it can have."]);
  });

  it("reads times in the installation's time zone and refuses a zone that is not one", async () => {
    const { community, authorization } = await communityWith("calendar");
    const path = `/api/v1/communities/${community.id}/installations/calendar`;
    for (const timeZone of ["not a zone!", "Mars/Olympus"])
      expect((await api("PATCH", path, authorization, { settings: { timeZone } })).status, timeZone).toBe(400);
    // Every zone a community can choose is one the runtime knows.
    for (const tz of TIME_ZONES) expect(isTimeZone(tz), tz).toBe(true);
    expect((await api("PATCH", path, authorization, { settings: { timeZone: "Europe/Berlin" } })).status).toBe(200);
    expect(await say(community, "discord", "!event add 2027-01-15 18:00 Winter stream", MOD)).toEqual([
      "Event added: #1 Winter stream, 2027-01-15 18:00 Europe/Berlin.",
    ]);
    // 18:00 in Berlin in winter is 17:00 UTC; 02:30 on the spring DST change does not exist there.
    expect((await rows(community.id))[0]!.starts_at).toBe(Date.UTC(2027, 0, 15, 17, 0));
    expect((await say(community, "discord", "!event add 2027-03-28 02:30 Ghost", MOD))[0]).toMatch(
      /is not a date and time: write it as 2026-12-24 18:00 \(Europe\/Berlin\)\.$/,
    );
  });

  it("lists events with their RSVP counts in one query and proposes with one count", async () => {
    const { community } = await communityWith("calendar");
    const when = [1, 2, 3, 4, 5].map((d) => at(d * DAY));
    for (const [i, w] of when.entries()) await say(community, "discord", `!event add ${w} Night ${i}`, MOD);
    for (const [i, who] of [ADA, BOB].entries()) await say(community, "slack", `!rsvp ${i + 1}`, who);
    await say(community, "slack", "!rsvp 1", BOB);
    // The module called straight, on a D1 binding that records each statement it runs.
    const run = async (text: string, level: ModuleCall["user"]["level"] = "everyone") => {
      const counted = countedD1(env.DB);
      const [name, ...args] = text.slice(1).split(" ");
      const call: ModuleCall = {
        sessionId: "s",
        eventId: crypto.randomUUID(),
        eventType: "message",
        communityId: community.id,
        platform: "discord",
        channel: { id: "c-main" },
        user: { id: ADA.id, username: ADA.username, level },
        command: { prefix: "!", name: name!, args, rawArgs: args.join(" ") },
        data: {},
        simulated: false,
        settings: {},
      };
      const ctx = {
        env: { ...(env as unknown as Env), DB: counted.d1 },
        db: createDb(counted.d1),
        call,
        now: Date.now(),
      };
      return { replies: (await calendar.command!(ctx)).map((r) => (r as { text?: string }).text), counted };
    };
    const listed = await run("!events");
    expect(listed.replies).toEqual([
      `Upcoming: ${when.map((w, i) => `#${i + 1} Night ${i}, ${w} UTC (${[2, 1, 0, 0, 0][i]} going)`).join(" | ")}`,
    ]);
    expect(listed.counted.statements).toHaveLength(1);
    // A member's proposal: the prune, one count for all three caps, the insert (which says its number).
    const proposal = await run(`!event add ${at(6 * DAY)} Night 5`);
    expect(proposal.replies[0]).toMatch(/^Event proposed: #6 Night 5, /);
    expect(proposal.counted.matching(/count\(/i)).toHaveLength(1);
    expect(proposal.counted.statements).toHaveLength(3);
  });
});
