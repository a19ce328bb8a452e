import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { ADA, at, DAY, scheduler } from "./calendar-support.ts";
import { communityWith, fake, line, MOD, say, send, texts } from "./support.ts";

describe("the calendar module: reminders", () => {
  it("posts a reminder before the start in every channel the event was talked about, from the scheduler alarm", async () => {
    const { community } = await communityWith("calendar");
    const proposedIn = "323456789012345678";
    const approvedIn = "C0CALENDAR";
    // The delivery service sends only to a channel of the community's own guild / workspace.
    await fake.channelOwner("discord", proposedIn, community.platformIds.discord);
    await fake.channelOwner("slack", approvedIn, community.platformIds.slack);
    const start = Date.now() + 40 * 60_000;
    const when = new Date(start).toISOString().slice(0, 16).replace("T", " ");
    const [answer] = texts(await send(line(community, "discord", `!event add ${when} Raid train`, ADA, proposedIn)));
    expect(answer).toMatch(/^Event proposed: #1 /);
    // Nothing is scheduled before a moderator approves.
    expect(await scheduler(community.id).pendingReminders()).toBe(0);
    await send(line(community, "slack", "!event approve 1", MOD, approvedIn));
    const pending = await scheduler(community.id).remindersLike("cal:");
    expect(pending).toHaveLength(2);
    const startMin = Math.floor(start / 60_000) * 60_000;
    for (const r of pending) expect(r.dueAt).toBe(startMin - 15 * 60_000);
    // Not due yet.
    expect((await runInDurableObject(scheduler(community.id), (o) => o.tick(Date.now()))).sent).toEqual([]);
    const { sent } = await runInDurableObject(scheduler(community.id), (o) => o.tick(startMin - 14 * 60_000));
    expect(sent).toHaveLength(2);
    const text = `📅 Starting in 15 min: #1 Raid train (${when} UTC). !rsvp 1 to join.`;
    const discord = await fake.waitFor(`/channels/${proposedIn}/messages`, (r) =>
      JSON.stringify(r.body).includes("Raid train"),
    );
    expect((discord.body as { content: string }).content).toBe(text);
    const slack = await fake.waitFor(
      "chat.postMessage",
      (r) => (r.body as { channel?: string }).channel === approvedIn,
    );
    expect((slack.body as { text: string }).text).toBe(text);
    expect(await scheduler(community.id).pendingReminders()).toBe(0);
  });

  it("announces an event approved inside its reminder window at once, when the alarm fires", async () => {
    const { community } = await communityWith("calendar");
    const channel = "423456789012345678";
    await fake.channelOwner("discord", channel, community.platformIds.discord);
    const when = at(7 * 60_000);
    await send(line(community, "discord", `!event add ${when} Soon`, ADA, channel));
    await send(line(community, "discord", "!event approve 1", MOD, channel));
    // The alarm is set for now: it may already have fired by itself; if not, run it. Either way the
    // alarm sends the reminder (one channel: it was proposed and approved there).
    await runDurableObjectAlarm(scheduler(community.id));
    const sent = await fake.waitFor(`/channels/${channel}/messages`, (r) => JSON.stringify(r.body).includes("Soon"));
    expect((sent.body as { content: string }).content).toMatch(
      new RegExp(`^📅 Starting in [67] min: #1 Soon \\(${when} UTC\\)\\. !rsvp 1 to join\\.$`),
    );
    expect(await scheduler(community.id).pendingReminders()).toBe(0);
  });

  it("forgets the reminders of a removed event", async () => {
    const { community } = await communityWith("calendar");
    const when = at(DAY);
    expect((await say(community, "discord", `!event add ${when} Doomed`, MOD))[0]).toMatch(/^Event added: #1 /);
    expect(await scheduler(community.id).remindersLike("cal:")).toHaveLength(1);
    expect(await say(community, "discord", "!event remove 1", MOD)).toEqual([`Removed: #1 Doomed, ${when} UTC.`]);
    expect(await scheduler(community.id).pendingReminders()).toBe(0);
  });
});
