/**
 * The calendar module end to end, the way `npm start` runs it: proposals over a signed Slack
 * event and the relay contract, the iCal feed over HTTP at its token URL, and the portal's
 * Calendar page in Chromium as the admin (approve, copy, rotate) and as a moderator (reject,
 * remove; no rotate), at phone width too. Only this file's own events are looked at.
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { invitedAccount } from "./accounts.ts";
import { relaySays as relay, slackSays as slack } from "./chat-says.ts";
import { adminApi } from "./platforms.ts";
import { expectFitsAndAccessible, PHONE } from "./portal-a11y.ts";
import { openBrowser, type PortalBrowser, shoot, signIn, visit } from "./portal-support.ts";

const urls = inject("urls");
const vars = inject("vars");
const community = inject("demoCommunityId");
const suffix = crypto.randomUUID().slice(0, 6);
/** A member (a fresh one unless named) in Slack, or in Discord through the relay. */
const slackSays = (text: string, user?: string) => slack(text, { user });
const relaySays = (text: string, userId?: string) => relay(text, userId ? { user: { id: userId } } : {});
const base = `/api/v1/communities/${community}/calendar`;
/** A start time `days` from now, in the module's syntax (the demo community's calendar is in UTC). */
const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 16).replace("T", " ");

/** Proposes an event over Slack; its number. */
async function propose(title: string, days = 3): Promise<number> {
  const answer = await slackSays(`!event add ${inDays(days)} ${title}`);
  const n = /^Event proposed: #(\d+) /.exec(answer)?.[1];
  expect(n, answer).toBeDefined();
  return Number(n);
}

const feedUrl = async () => ((await adminApi("GET", `${base}/feed`)).body.data as { url: string }).url;

describe("the calendar module, end to end", () => {
  it("takes proposals over a signed Slack event and RSVPs over the relay; approved events are in the iCal feed", async () => {
    const title = `Penguin parade ${suffix}`;
    const n = await propose(title);
    expect(await relaySays(`!event approve ${n}`)).toBe("Only moderators can approve events.");
    expect(await relaySays("!event frobnicate")).toMatch(/^Usage: !event add <YYYY-MM-DD> <HH:MM>/);
    expect(await relaySays(`!rsvp ${n}`)).toBe(`There is no upcoming event #${n}.`);
    expect((await adminApi("POST", `${base}/events/${n}/approve`)).status).toBe(200);
    expect(await relaySays(`!rsvp ${n}`)).toBe(`relayed is going to #${n} ${title} (1 going).`);
    expect(await slackSays(`!event ${n}`)).toMatch(new RegExp(`^#${n} ${title}, .* UTC \\(1 going\\), proposed by `));

    const url = await feedUrl();
    expect(url.startsWith(`${urls.router}/calendar/`)).toBe(true);
    const res = await fetch(url);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/calendar; charset=utf-8");
    expect(await res.text()).toContain(`SUMMARY:${title}\r\n`);
    // The worker answers the feed path, not the portal's single-page fallback.
    const unknown = await fetch(`${urls.router}/calendar/${"0".repeat(64)}.ics`);
    expect(unknown.status).toBe(404);
    expect(await unknown.text()).not.toContain("<html");
  });
});

describe("the Calendar page in Chromium", { timeout: 90_000 }, () => {
  let browser: PortalBrowser;
  let page: Page;
  beforeAll(async () => {
    browser = await openBrowser(urls.router);
    page = await browser.context.newPage();
    await page.setViewportSize({ width: 1280, height: 860 });
  }, 60_000);
  afterAll(async () => browser?.close());

  const row = (n: number) => page.locator(`tr[data-event="${n}"]`);

  it("as the admin: approves a proposal, copies the feed URL and rotates it", async () => {
    const n = await propose(`Portal approval ${suffix}`, 4);
    await signIn(page, urls.router, vars.ADMIN_EMAIL!, vars.ADMIN_PASSWORD!);
    await visit(page, "Calendar", "Calendar");
    await row(n).and(page.locator('[data-status="pending"]')).waitFor();
    await page.getByRole("button", { name: `Approve event ${n}`, exact: true }).click();
    await row(n).and(page.locator('[data-status="approved"]')).waitFor();
    // The page shows the start as chat does (both format it with lib/modules/calendar-time.ts).
    const shown = /^#\d+ .*, (\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC) \(/.exec(await relaySays(`!event ${n}`))?.[1];
    expect(shown).toBeDefined();
    expect(await row(n).locator('td[data-label="Starts"]').innerText()).toBe(shown);
    expect(await slackSays(`!rsvp ${n}`)).toMatch(
      new RegExp(`is going to #${n} Portal approval ${suffix} \\(1 going\\)\\.$`),
    );

    const old = await feedUrl();
    const input = page.getByLabel("Calendar feed URL");
    expect(await input.inputValue()).toBe(old);
    await page.getByRole("button", { name: "Copy URL" }).click();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(old);
    await page.getByRole("button", { name: "Rotate URL" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Rotate URL" }).click();
    await expect.poll(() => input.inputValue()).not.toBe(old);
    const fresh = await input.inputValue();
    expect((await fetch(old)).status).toBe(404);
    expect(await (await fetch(fresh)).text()).toContain(`SUMMARY:Portal approval ${suffix}\r\n`);

    await page.setViewportSize(PHONE);
    await expectFitsAndAccessible(page, "calendar page at 390px as admin");
    const remove = page.getByRole("button", { name: /^Remove event/ }).first();
    const box = (await remove.boundingBox())!;
    expect(box.x + box.width).toBeLessThanOrEqual(PHONE.width);
    await shoot(page, "portal-calendar-phone.png");
    await page.setViewportSize({ width: 1280, height: 860 });
  });

  it("as a moderator: rejects and removes, and has no rotate button", async () => {
    const rejected = await propose(`Moderator reject ${suffix}`, 5);
    const removed = await propose(`Moderator remove ${suffix}`, 6);
    const { email, password } = await invitedAccount("moderator");
    await browser.context.clearCookies();
    await signIn(page, urls.router, email, password);
    await visit(page, "Calendar", "Calendar");
    await row(rejected).waitFor();
    await page.getByRole("button", { name: `Reject event ${rejected}`, exact: true }).click();
    await row(rejected).waitFor({ state: "detached" });
    await page.getByRole("button", { name: `Remove event ${removed}`, exact: true }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Remove event" }).click();
    await row(removed).waitFor({ state: "detached" });
    expect(await page.getByRole("button", { name: "Rotate URL" }).count()).toBe(0);
    expect(await page.getByLabel("Calendar feed URL").inputValue()).toMatch(/\/calendar\/[0-9a-f]{64}\.ics$/);
    expect(await relaySays(`!event ${removed}`)).toBe(`There is no event #${removed}.`);
    expect(await slackSays(`!rsvp ${rejected}`)).toBe(`There is no upcoming event #${rejected}.`);
    await page.setViewportSize(PHONE);
    await expectFitsAndAccessible(page, "calendar page at 390px as moderator");
    expect(browser.cspViolations).toEqual([]);
    expect(browser.offMachine).toEqual([]);
  });
});
