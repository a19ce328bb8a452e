/**
 * The portal's "Module data" page in Chromium: a quote added in chat (a signed Discord
 * interaction) is listed with the demo community's other module data and deleted from the page;
 * chat then no longer finds it.
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { discordSlash, snowflake } from "./platforms.ts";
import { openBrowser, type PortalBrowser, shoot, signIn, visit } from "./portal-support.ts";

const origin = inject("urls").router;
const vars = inject("vars");

let browser: PortalBrowser;
let page: Page;

beforeAll(async () => {
  browser = await openBrowser(origin);
  page = await browser.context.newPage();
  await page.setViewportSize({ width: 1280, height: 860 });
}, 60_000);
afterAll(async () => browser?.close());

describe("the Module data page", { timeout: 60_000 }, () => {
  it("lists a quote added in chat and deletes it", async () => {
    const user = { id: snowflake(), name: "quoter" };
    const text = `Portal penguins ${crypto.randomUUID().slice(0, 6)}`;
    const added = await discordSlash(user, `!quote add ${text}`);
    const number = /^Quote #(\d+) added\.$/.exec(added)?.[1];
    expect(number, added).toBeDefined();

    await signIn(page, origin, vars.ADMIN_EMAIL!, vars.ADMIN_PASSWORD!);
    await visit(page, "Module data", "Module data");
    const row = page.locator(`tr[data-quote="${number}"]`);
    await row.waitFor();
    expect(await row.textContent()).toContain(text);
    for (const h of ["Quotes", "Counters", "Loyalty leaderboard", "Giveaways", "Timers"])
      await page.getByRole("heading", { level: 2, name: h }).waitFor();
    await shoot(page, "portal-module-data.png");

    page.once("dialog", (d) => d.accept());
    await page.getByRole("button", { name: `Delete quote ${number}` }).click();
    await row.waitFor({ state: "detached" });
    expect(await discordSlash(user, `!quote ${number}`)).toBe(`There is no quote #${number}.`);
  });
});
