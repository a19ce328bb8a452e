/**
 * A giveaway end to end with its overlay in Chromium: a Discord moderator starts it (a signed
 * interaction), viewers enter through the gateway relay, the draw names the winner in chat and
 * the community's general overlay page shows the winner's card. A shoutout's card (`!so`) shows
 * on the same page.
 */
import type { BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { fakeTwitchId } from "../shared/fake-control.ts";
import { relayDiscordMessage } from "../shared/payloads.ts";
import { discordHeaders, relayHeaders } from "../shared/sign.ts";
import { launchChromium } from "./browser.ts";
import { adminApi, fake, snowflake } from "./platforms.ts";

const urls = inject("urls");
const vars = inject("vars");
const communityId = inject("demoCommunityId");
const MANAGE_MESSAGES = 1n << 13n;

/** A `/waddlebot command:<text>` interaction from a member who may manage messages (a moderator). */
async function moderatorSays(text: string): Promise<string> {
  const body = JSON.stringify({
    id: snowflake(),
    application_id: vars.DISCORD_APPLICATION_ID,
    type: 2,
    token: `tok-${crypto.randomUUID()}`,
    guild_id: vars.DEMO_DISCORD_GUILD_ID,
    channel_id: "900000000000000002",
    member: { user: { id: "900000000000000777", username: "mod" }, roles: [], permissions: String(MANAGE_MESSAGES) },
    data: { name: "waddlebot", type: 1, options: [{ name: "command", type: 3, value: text }] },
  });
  const res = await fetch(`${urls.webhooks}/discord/interactions`, {
    method: "POST",
    body,
    headers: await discordHeaders(vars.TEST_DISCORD_PRIVATE_KEY!, body),
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { data?: { content?: string } }).data?.content ?? "";
}

async function relayLine(username: string, text: string) {
  const body = relayDiscordMessage({
    guildId: vars.DEMO_DISCORD_GUILD_ID!,
    channelId: snowflake(),
    userId: snowflake(),
    username,
    text,
  });
  const res = await fetch(`${urls.webhooks}/relay/events`, {
    method: "POST",
    body,
    headers: await relayHeaders(vars.RELAY_SHARED_SECRET!, body),
  });
  expect(res.status).toBe(202);
}

let browser: Awaited<ReturnType<typeof launchChromium>>;
let context: BrowserContext;
beforeAll(async () => {
  browser = await launchChromium();
  context = browser.context;
}, 60_000);
afterAll(async () => browser?.close());

describe("a giveaway with its overlay", { timeout: 60_000 }, () => {
  it("announces the winner in chat and on the general overlay page", async () => {
    const sources = (await adminApi("GET", `/api/v1/communities/${communityId}/overlays`)).body.data as {
      type: string;
      url: string;
    }[];
    const page = await context.newPage();
    await page.goto(sources.find((s) => s.type === "general")!.url);
    await page.locator('body[data-state="live"]').waitFor();

    const keyword = `fish${crypto.randomUUID().slice(0, 4)}`;
    expect(await moderatorSays(`!giveaway start ${keyword} 5m`)).toContain(`Type ${keyword} in chat to enter`);
    await relayLine("gus", keyword);
    await relayLine("ida", keyword);
    await expect.poll(() => moderatorSays("!giveaway"), { timeout: 10_000 }).toMatch(/\(2 entries/);

    const announced = await moderatorSays("!giveaway draw");
    const winner = /is @(\w+)!$/.exec(announced)?.[1];
    expect(["gus", "ida"]).toContain(winner);
    const card = page.locator("#general.shown");
    await card.waitFor();
    await expect.poll(() => card.textContent()).toContain(winner!);
    // A re-draw from the portal's API names the other one, on the same overlay.
    const redraw = await adminApi("POST", `/api/v1/communities/${communityId}/first-party/giveaways/draw`, {
      redraw: true,
    });
    const other = winner === "gus" ? "ida" : "gus";
    expect(redraw.body.data).toEqual({ message: `The winner of "${keyword}" is ${other}` });
    await expect.poll(() => card.textContent()).toContain(other);
  });

  it("shows a shoutout's card (name, last game) on the general overlay page", async () => {
    const sources = (await adminApi("GET", `/api/v1/communities/${communityId}/overlays`)).body.data as {
      type: string;
      url: string;
    }[];
    const page = await context.newPage();
    await page.goto(sources.find((s) => s.type === "general")!.url);
    await page.locator('body[data-state="live"]').waitFor();
    const login = `caster${crypto.randomUUID().slice(0, 6)}`;
    await fake.script({
      method: "GET",
      path: `/helix/channels?broadcaster_id=${fakeTwitchId(login)}`,
      status: 200,
      body: { data: [{ game_name: "Penguin Party", title: "Live" }] },
    });
    await moderatorSays(`!so ${login}`);
    const card = page.locator("#general.shown .shoutout");
    await card.locator("h1", { hasText: login }).waitFor();
    expect(await card.textContent()).toContain("Penguin Party");
    expect(await card.textContent()).toContain(`twitch.tv/${login}`);
  });
});
