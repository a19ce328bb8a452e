import { env } from "cloudflare:workers";
import ICAL from "ical.js";
import { describe, expect, it } from "vitest";
import { sha256Hex } from "../../../lib/crypto/encoding.ts";
import { createUserWithKey } from "../../../test/workerd/fixtures.ts";
import { api, communityWith, MOD, router, say } from "./support.ts";

const DAY = 86_400_000;
const at = (ms: number) => new Date(Date.now() + ms).toISOString().slice(0, 16).replace("T", " ");
const get = (path: string) => router.fetch(new Request(`http://router.test${path}`));
const feedPath = (url: string) => new URL(url).pathname;

describe("the calendar's iCal feed", () => {
  it("serves approved events as RFC 5545 (CRLF, folded lines, escaped text, UID, DTSTAMP) at a token URL", async () => {
    const { community, authorization } = await communityWith("calendar");
    const title = "Snacks, drinks; fun \\ more — ünïcödé penguins all night long until the ice melts away";
    expect((await say(community, "discord", `!event add ${at(2 * DAY)} 90m ${title}`, MOD))[0]).toMatch(
      /^Event added: #1 /,
    );
    expect((await say(community, "slack", `!event add ${at(3 * DAY)} Not approved yet`))[0]).toMatch(/^Event proposed/);
    await say(community, "twitch", "!rsvp 1");
    const getFeed = () =>
      api<{ url: string }>("GET", `/api/v1/communities/${community.id}/calendar/feed`, authorization);
    // Two first uses at once agree on one token; asking again gives the same URL (the sealed copy).
    const [feed, twin] = await Promise.all([getFeed(), getFeed()]);
    expect(feed.status).toBe(200);
    expect(feed.data.url).toMatch(/^http:\/\/router\.test\/calendar\/[0-9a-f]{64}\.ics$/);
    expect(twin.data.url).toBe(feed.data.url);
    expect((await getFeed()).data.url).toBe(feed.data.url);

    const res = await get(feedPath(feed.data.url));
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/calendar; charset=utf-8");
    const text = await res.text();
    // Every line ends in CRLF and is at most 75 octets (RFC 5545 §3.1).
    expect(text.startsWith("BEGIN:VCALENDAR\r\n") && text.endsWith("\r\nEND:VCALENDAR\r\n")).toBe(true);
    expect(text.replace(/\r\n/g, "")).not.toMatch(/[\r\n]/);
    for (const l of text.split("\r\n")) expect(new TextEncoder().encode(l).length, l).toBeLessThanOrEqual(75);
    expect(text).toContain("SUMMARY:Snacks\\, drinks\\; fun \\\\ more");

    const cal = new ICAL.Component(ICAL.parse(text));
    const events = cal.getAllSubcomponents("vevent");
    expect(events).toHaveLength(1);
    const e = events[0]!;
    const row = await env.DB.prepare(
      "SELECT id, starts_at, ends_at FROM calendar_events WHERE community_id = ? AND number = 1",
    )
      .bind(community.id)
      .first<{ id: string; starts_at: number; ends_at: number }>();
    expect(e.getFirstPropertyValue("uid")).toBe(`${row!.id}@waddlebot`);
    expect(e.getFirstPropertyValue("summary")).toBe(title);
    expect(e.getFirstPropertyValue("dtstamp")).toBeTruthy();
    const start = e.getFirstPropertyValue("dtstart") as ICAL.Time;
    expect(start.zone?.tzid).toBe("UTC");
    expect(start.toJSDate().getTime()).toBe(row!.starts_at);
    expect((e.getFirstPropertyValue("dtend") as ICAL.Time).toJSDate().getTime() - row!.starts_at).toBe(90 * 60_000);
    expect(e.getFirstPropertyValue("description")).toBe("#1, proposed by penguin. 1 going: !rsvp 1 in chat.");
    expect(cal.getFirstPropertyValue("prodid")).toMatch(/WaddleBot/);

    // At rest the token is neither in clear nor anywhere but its hash and its sealed copy.
    const token = /([0-9a-f]{64})\.ics$/.exec(feed.data.url)![1]!;
    const stored = await env.DB.prepare("SELECT token_hash, token_sealed FROM calendar_feeds WHERE community_id = ?")
      .bind(community.id)
      .first<{ token_hash: string; token_sealed: string }>();
    expect(stored!.token_hash).toBe(await sha256Hex(token));
    expect(stored!.token_sealed).toMatch(/^v1\./);
    expect(stored!.token_sealed).not.toContain(token);
  });

  it("answers 404 for a malformed, unknown or rotated token, and only admins rotate", async () => {
    const { community, authorization } = await communityWith("calendar");
    const moderator = await createUserWithKey({ communityId: community.id, role: "moderator" });
    const path = `/api/v1/communities/${community.id}/calendar/feed`;
    const old = feedPath((await api<{ url: string }>("GET", path, moderator.authorization)).data.url);
    expect((await get(old)).status).toBe(200);
    for (const bad of ["/calendar/nope.ics", `/calendar/${"0".repeat(64)}.ics`, `${old.slice(0, -4)}.txt`, `${old}x`])
      expect((await get(bad)).status, bad).toBe(404);
    expect((await api("POST", `${path}/rotate`, moderator.authorization)).status).toBe(403);
    const rotated = await api<{ url: string }>("POST", `${path}/rotate`, authorization);
    expect(rotated.status).toBe(200);
    expect((await get(old)).status).toBe(404);
    expect((await get(feedPath(rotated.data.url))).status).toBe(200);
    const audit = await env.DB.prepare(
      "SELECT action, details FROM audit_log WHERE community_id = ? AND action LIKE 'module.calendar.%'",
    )
      .bind(community.id)
      .all<{ action: string; details: string }>();
    expect(audit.results.map((r) => r.action)).toEqual(["module.calendar.feed.rotate"]);
    expect(audit.results[0]!.details).not.toContain(rotated.data.url.slice(-68, -4));
  });
});

describe("the calendar's portal API", () => {
  it("lists events, lets moderators approve, reject and remove, and refuses members and missing events", async () => {
    const { community } = await communityWith("calendar");
    const moderator = await createUserWithKey({ communityId: community.id, role: "moderator" });
    const member = await createUserWithKey({ communityId: community.id, role: "member" });
    const base = `/api/v1/communities/${community.id}/calendar/events`;
    for (const t of ["One", "Two", "Three"]) await say(community, "discord", `!event add ${at(DAY)} ${t}`);
    const list = await api<{ number: number; status: string; title: string }[]>("GET", base, moderator.authorization);
    expect(list.status).toBe(200);
    expect(list.data.map((e) => [e.number, e.status])).toEqual([
      [1, "pending"],
      [2, "pending"],
      [3, "pending"],
    ]);
    expect((await api("GET", base, member.authorization)).status).toBe(403);
    expect((await api("POST", `${base}/1/approve`, member.authorization)).status).toBe(403);
    expect((await api("DELETE", `${base}/1`, member.authorization)).status).toBe(403);
    const approved = await api<{ status: string; decidedBy: string }>(
      "POST",
      `${base}/1/approve`,
      moderator.authorization,
    );
    expect(approved.status).toBe(200);
    expect(approved.data.status).toBe("approved");
    expect((await api("POST", `${base}/1/reject`, moderator.authorization)).status).toBe(409);
    expect((await api("POST", `${base}/2/reject`, moderator.authorization)).status).toBe(200);
    expect((await api("POST", `${base}/99/approve`, moderator.authorization)).status).toBe(404);
    expect((await api("POST", `${base}/0/approve`, moderator.authorization)).status).toBe(400);
    expect((await api("DELETE", `${base}/3`, moderator.authorization)).status).toBe(200);
    expect((await api("DELETE", `${base}/3`, moderator.authorization)).status).toBe(404);
    // Rejected events leave the list; the approved one is in chat's !events now.
    const after = await api<{ number: number; status: string }[]>("GET", base, moderator.authorization);
    expect(after.data.map((e) => [e.number, e.status])).toEqual([[1, "approved"]]);
    expect((await say(community, "slack", "!events"))[0]).toMatch(/^Upcoming: #1 One, /);
    const audit = await env.DB.prepare(
      "SELECT action FROM audit_log WHERE community_id = ? AND action LIKE 'module.calendar.%' ORDER BY occurred_at",
    )
      .bind(community.id)
      .all<{ action: string }>();
    expect(audit.results.map((r) => r.action).sort()).toEqual([
      "module.calendar.approve",
      "module.calendar.reject",
      "module.calendar.remove",
    ]);
  });
});
