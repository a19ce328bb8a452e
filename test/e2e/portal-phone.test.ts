import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { invitedAccount } from "./accounts.ts";
import { adminApi } from "./platforms.ts";
import { axeViolations, DESKTOP, expectFitsAndAccessible, overflow, PHONE } from "./portal-a11y.ts";
import { openBrowser, type PortalBrowser, shoot, signIn } from "./portal-support.ts";

const origin = inject("urls").router;
const vars = inject("vars");
const communityId = inject("demoCommunityId");
const base = `/api/v1/communities/${communityId}`;

// Real content at its limits: a 1,000-character reply with no spaces (it once stretched a page
// to 9,739 px), a 200-character pattern, a long key name, a rule with escalation steps.
beforeAll(async () => {
  const long = "W".repeat(1000);
  expect((await adminApi("POST", `${base}/commands`, { name: "longreply", response: long })).status).toBe(201);
  const rule = {
    name: "A rule with a rather long name that goes on and on",
    matchType: "contains",
    pattern: "x".repeat(200),
    action: "timeout",
    actionConfig: { durationSec: 60, message: "M".repeat(300) },
    escalation: [{ strikes: 3, action: "ban" }],
  };
  expect((await adminApi("POST", `${base}/moderation/rules`, rule)).status).toBe(201);
  expect((await adminApi("POST", "/api/v1/keys", { name: "K".repeat(100) })).status).toBe(201);
}, 60_000);

/** Every page the signed-in person can reach from the navigation, plus their account page. */
async function pagesOf(page: Page): Promise<string[]> {
  const hrefs = await page
    .getByRole("navigation", { name: "Pages" })
    .getByRole("link")
    .evaluateAll((links) => links.map((a) => a.getAttribute("href") ?? ""));
  return [...hrefs, "#/account"];
}

async function open(page: Page, hash: string) {
  await page.goto(`${origin}/${hash}`);
  await page.getByRole("heading", { level: 1 }).waitFor();
  // "Installed modules" loads two requests per module (11 first-party ones now): over a second
  // on a loaded 2-core machine, past expect.poll's 1 s default.
  await expect.poll(() => page.locator(".loading").count(), { timeout: 10_000 }).toBe(0);
}

async function checkEveryPage(page: Page, who: string) {
  const pages = await pagesOf(page);
  expect(pages.length).toBeGreaterThan(5);
  for (const size of [PHONE, DESKTOP]) {
    await page.setViewportSize(size);
    for (const hash of pages) {
      await open(page, hash);
      await expectFitsAndAccessible(page, `${who} ${hash} at ${size.width}px`);
    }
  }
}

describe("every portal page on a phone (390 px) and a desktop (1440 px)", { timeout: 120_000 }, () => {
  let browser: PortalBrowser;
  afterAll(async () => browser?.close());

  it("as the admin: no page is wider than the window, and axe finds no WCAG A/AA violation", async () => {
    browser = await openBrowser(origin);
    const page = await browser.context.newPage();
    await page.setViewportSize(PHONE);
    await page.goto(`${origin}/`);
    await page.getByRole("button", { name: "Sign in" }).waitFor();
    await expectFitsAndAccessible(page, "sign-in page");
    await page.setViewportSize(DESKTOP); // the navigation signIn waits for folds away on a phone
    await signIn(page, origin, vars.ADMIN_EMAIL!, vars.ADMIN_PASSWORD!);
    await checkEveryPage(page, "admin");
    // The long reply wraps inside its card instead of widening the page.
    await page.setViewportSize(PHONE);
    await open(page, "#/commands");
    const cell = page.locator('tr[data-command="longreply"] td[data-label="Response"]');
    expect((await cell.boundingBox())!.width).toBeLessThanOrEqual(PHONE.width);
    // On a phone the row's buttons are inside the screen.
    const edit = page.locator('tr[data-command="longreply"]').getByRole("button", { name: /^Edit/ });
    const box = (await edit.boundingBox())!;
    expect(box.x + box.width).toBeLessThanOrEqual(PHONE.width);
    await shoot(page, "portal-phone-commands.png");
    await open(page, "#/dashboard");
    await shoot(page, "portal-phone-dashboard.png");
    await browser.close();
  });

  it("as a moderator: the same on every page they may see", async () => {
    const { email, password } = await invitedAccount("moderator");
    browser = await openBrowser(origin);
    const page = await browser.context.newPage();
    await signIn(page, origin, email, password);
    await checkEveryPage(page, "moderator");
    expect(browser.cspViolations).toEqual([]);
  });

  it("the checks themselves catch an unlabelled field and a too-wide element", async () => {
    const page = await browser.context.newPage();
    await page.setViewportSize(PHONE);
    await page.goto(`${origin}/#/commands`);
    await page.getByRole("heading", { level: 1 }).waitFor();
    await page.evaluate(() => {
      const input = document.createElement("input");
      const wide = document.createElement("div");
      wide.style.width = "2000px";
      wide.textContent = "wide";
      document.querySelector("main")!.append(input, wide);
    });
    expect(await overflow(page)).toBeGreaterThan(0);
    expect((await axeViolations(page)).some((v) => v.startsWith("label:"))).toBe(true);
  });
});
