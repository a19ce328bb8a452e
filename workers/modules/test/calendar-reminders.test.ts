import { runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { exchangeCode } from "../../../lib/connections/exchange.ts";
import { redirectUri } from "../../../lib/connections/oauth.ts";
import { TWITCH_BOT_SCOPES } from "../../../lib/connections/scopes.ts";
import { type StoreEnv, saveBot } from "../../../lib/connections/store.ts";
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

  it("posts a Twitch reminder as the instance's bot, with its user token (user:write:chat, sender_id its own)", async () => {
    // The bot authorised once, as the instance owner does (POST /api/v1/connections/twitch-bot):
    // the fake then checks each Send Chat Message against that grant.
    const e = env as unknown as StoreEnv;
    const botId = String(Math.floor(Math.random() * 1e9));
    const q = new URLSearchParams({
      redirect_uri: redirectUri(e, "twitch_bot"),
      state: "s",
      scope: Object.keys(TWITCH_BOT_SCOPES).join(" "),
      fake_user: `${botId}.calbot`,
    });
    const page = await fetch(`${env.FAKE_PLATFORM_URL}/oauth2/authorize?${q}`, { redirect: "manual" });
    const code = new URL(page.headers.get("location")!).searchParams.get("code")!;
    await saveBot(e, await exchangeCode(e, "twitch_bot", code), null);
    try {
      const { community } = await communityWith("calendar");
      const broadcaster = community.platformIds.twitch;
      const start = Date.now() + 40 * 60_000;
      const when = new Date(start).toISOString().slice(0, 16).replace("T", " ");
      await send(line(community, "twitch", `!event add ${when} Twitch raid`, ADA));
      await send(line(community, "twitch", "!event approve 1", MOD));
      const [reminder] = await scheduler(community.id).remindersLike("cal:");
      expect(reminder).toBeDefined();
      const { sent } = await runInDurableObject(scheduler(community.id), (o) => o.tick(reminder!.dueAt));
      expect(sent).toHaveLength(1);
      const chat = await fake.waitFor(
        "/helix/chat/messages",
        (r) => (r.body as { broadcaster_id?: string }).broadcaster_id === broadcaster,
      );
      expect(chat.body).toEqual({
        broadcaster_id: broadcaster,
        sender_id: botId,
        message: `📅 Starting in 15 min: #1 Twitch raid (${when} UTC). !rsvp 1 to join.`,
      });
      expect(chat.token).toMatchObject({ platform: "twitch", kind: "user", userId: botId });
      // Accepted: the fake refuses a token without user:write:chat or of another user than sender_id.
      expect(chat.status).toBe(200);
      expect(await scheduler(community.id).pendingReminders()).toBe(0);
    } finally {
      await env.DB.prepare("DELETE FROM instance_credentials WHERE id = 'twitch_bot'").run();
    }
  });
});
