/**
 * The first-party module pages in Chromium, as the admin and as a moderator, on a phone and a
 * desktop with axe: quotes (edit, delete), inventory (add, take), counters (set, reset), timers
 * (add, edit, remove) in the demo community with this file's own names; giveaways (start, draw,
 * re-draw, history), the loyalty currency and the AI settings in a community of this file's own,
 * since those are community-wide. Chat sees what the pages change.
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { invitedAccount } from "./accounts.ts";
import { adminApi, discordSlash, snowflake } from "./platforms.ts";
import { DESKTOP, expectFitsAndAccessible, PHONE } from "./portal-a11y.ts";
import { openBrowser, type PortalBrowser, shoot, signIn } from "./portal-support.ts";

const origin = inject("urls").router;
const vars = inject("vars");
const demo = inject("demoCommunityId");
const tag = crypto.randomUUID().slice(0, 6);
const PAGES = ["Quotes", "Inventory", "Counters", "Timers", "Giveaways", "Loyalty", "AI chat"];

let browser: PortalBrowser;
let page: Page;
let own: string;
const quoter = { id: snowflake(), name: "quoter" };
let quote: string;

beforeAll(async () => {
  const made = await adminApi("POST", "/api/v1/communities", { slug: `pages-${tag}`, name: `Pages ${tag}` });
  expect(made.status, made.body.message).toBe(201);
  own = (made.body.data as { id: string }).id;
  for (const module of ["giveaways", "loyalty", "ai"]) {
    const res = await adminApi("POST", `/api/v1/communities/${own}/installations`, { module });
    expect(res.status, res.body.message).toBe(201);
  }
  const added = await discordSlash(quoter, `!quote add Penguins ${tag} slide`);
  quote = /^Quote #(\d+) added\.$/.exec(added)?.[1] ?? "";
  expect(quote, added).not.toBe("");
  browser = await openBrowser(origin);
  page = await browser.context.newPage();
  await page.setViewportSize(DESKTOP);
  await signIn(page, origin, vars.ADMIN_EMAIL!, vars.ADMIN_PASSWORD!);
}, 60_000);
afterAll(async () => browser?.close());

/** Opens a module page from the links on Module data's, as a person would. */
async function open(name: string) {
  await page.getByRole("navigation", { name: "Module pages" }).getByRole("link", { name, exact: true }).click();
  await page.getByRole("heading", { level: 1, name }).waitFor();
  // Pages that load per item take longer on a busy machine (as in portal-support.ts visit).
  await expect.poll(() => page.locator(".loading").count(), { timeout: 10_000 }).toBe(0);
}

async function everyPageFits(who: string) {
  for (const size of [PHONE, DESKTOP]) {
    await page.setViewportSize(size);
    for (const name of PAGES) {
      await open(name);
      await expectFitsAndAccessible(page, `${who} ${name} at ${size.width}px`);
    }
  }
}

const toast = (text: string | RegExp) => page.getByRole("status").filter({ hasText: text }).waitFor();

describe("the first-party module pages", { timeout: 120_000 }, () => {
  it("as the admin: edits quotes, inventory, counters and timers, and chat sees the changes", async () => {
    await page.getByRole("combobox", { name: "Community" }).selectOption(demo);
    await page.goto(`${origin}/#/module-data`);
    await page.getByRole("heading", { level: 1, name: "Module data" }).waitFor();
    await open("Quotes");
    await page.getByRole("button", { name: `Edit quote ${quote}` }).click();
    const text = page.getByLabel(`Quote #${quote}`);
    await text.fill("x".repeat(301));
    await page.getByRole("button", { name: "Save quote" }).click();
    await page.getByTestId("field-error").waitFor();
    await text.fill(`Penguins ${tag} waddle`);
    await page.getByRole("button", { name: "Save quote" }).click();
    await toast(`Quote #${quote} saved`);
    expect(await discordSlash(quoter, `!quote ${quote}`)).toBe(`#${quote}: Penguins ${tag} waddle`);

    await open("Inventory");
    // This file's own item kind: its labels are community-wide.
    const fish = `fish${tag}`;
    const form = page.getByRole("form", { name: "Add or take items" });
    await form.getByLabel("Username").fill(`ada${tag}`);
    await form.getByLabel("Item").fill(fish);
    await form.getByLabel("How many").fill("3");
    await form.getByRole("button", { name: "Add items" }).click();
    await page.locator(`tr[data-item="twitch:ada${tag}/${fish}"]`).filter({ hasText: "3" }).waitFor();
    await form.getByLabel("How many").fill("5");
    await form.getByRole("button", { name: "Take items away" }).click();
    await form
      .getByRole("alert")
      .filter({ hasText: `does not have 5 ${fish}` })
      .waitFor();
    // A Labels Core label on the item kind shows as a chip on its rows.
    const made = await adminApi("POST", `/api/v1/communities/${demo}/labels`, { name: `rare${tag}` });
    expect(made.status, made.body.message).toBe(201);
    const labelled = await adminApi("POST", `/api/v1/communities/${demo}/labels/bulk`, {
      operations: [{ op: "add", entityType: "inventory_item", entityId: fish, label: `rare${tag}` }],
    });
    expect(labelled.status, labelled.body.message).toBe(200);
    await page.reload();
    await page
      .getByRole("list", { name: `Labels of item ${fish}` })
      .filter({ hasText: `rare${tag}` })
      .waitFor();

    await open("Counters");
    const counter = `falls${tag}`;
    const set = page.getByRole("form", { name: "Set a counter" });
    await set.getByLabel("Name").fill(counter);
    await set.getByLabel("Value").fill("41");
    await set.getByRole("button", { name: "Set counter" }).click();
    await page.getByRole("button", { name: `+1 ${counter}` }).click();
    await page.locator(`tr[data-counter="${counter}"]`).filter({ hasText: "42" }).waitFor();
    await page.getByRole("button", { name: `Reset ${counter}` }).click();
    await page.locator(`tr[data-counter="${counter}"] td[data-label="Value"]`).filter({ hasText: /^0$/ }).waitFor();

    await open("Timers");
    const timer = `tip${tag}`;
    const add = page.getByRole("form", { name: "Add a timer" });
    await add.getByLabel("Name").fill(timer);
    await add.getByLabel("Channel id").fill(vars.DEMO_TWITCH_BROADCASTER_ID!);
    await add.getByLabel("Message").fill("Hydrate!");
    await add.getByLabel("Every (minutes, 1-1440)").fill("0");
    await add.getByRole("button", { name: "Add timer" }).click();
    await add.getByTestId("field-error").waitFor();
    await add.getByLabel("Every (minutes, 1-1440)").fill("1440");
    await add.getByRole("button", { name: "Add timer" }).click();
    await toast(`Timer ${timer} saved`);
    await page.getByRole("button", { name: `Edit timer ${timer}` }).click();
    const edit = page.getByRole("form", { name: "Edit timer" });
    await edit.getByLabel("Message").fill("Drink water!");
    await edit.getByRole("button", { name: "Save timer" }).click();
    await page.locator(`tr[data-timer="${timer}"]`).filter({ hasText: "Drink water!" }).waitFor();
    await shoot(page, "portal-module-timers.png");
    await page.getByRole("button", { name: `Remove timer ${timer}` }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Remove" }).click();
    await page.locator(`tr[data-timer="${timer}"]`).waitFor({ state: "detached" });
  });

  it("as the admin in a community of its own: giveaways, the loyalty currency and the AI settings", async () => {
    await page.getByRole("combobox", { name: "Community" }).selectOption(own);
    await page.goto(`${origin}/#/module-data`);
    await open("Giveaways");
    const start = page.getByRole("form", { name: "Start a giveaway" });
    await start.getByLabel("Keyword people type to enter").fill(`fish${tag}`);
    await start.getByRole("button", { name: "Start giveaway" }).click();
    await toast(`Giveaway "fish${tag}" started`);
    await start.getByRole("button", { name: "Start giveaway" }).click();
    await start.getByRole("alert").filter({ hasText: "A giveaway is already open" }).waitFor();
    await page.getByRole("button", { name: "Draw a winner" }).click();
    await page.getByRole("alert").filter({ hasText: "Nobody entered the giveaway" }).waitFor();
    await page.locator(`tr[data-giveaway="fish${tag}"]`).filter({ hasText: "closed" }).waitFor();
    await page.getByRole("button", { name: "Re-draw another winner" }).click();
    await page.getByRole("alert").filter({ hasText: "Nothing to re-draw yet" }).waitFor();

    await open("Loyalty");
    await page.getByLabel("Currency name").fill("fish");
    await page.getByRole("button", { name: "Save currency" }).click();
    await toast("Currency name saved");
    await page.getByText("Nobody has fish yet.").waitFor();

    await open("AI chat");
    const mentions = page.getByRole("checkbox", { name: /Answer when the bot is mentioned/ });
    expect(await mentions.isChecked()).toBe(false);
    await mentions.check();
    await page.getByLabel("Tokens per day for the community").fill("5");
    await page.getByRole("button", { name: "Save AI settings" }).click();
    await page.getByTestId("field-error").waitFor();
    await page.getByLabel("Tokens per day for the community").fill("5000");
    await page.getByRole("button", { name: "Save AI settings" }).click();
    await toast("AI settings saved");
    const ai = (await adminApi("GET", `/api/v1/communities/${own}/installations`)).body.data as {
      module: string;
      settings: Record<string, unknown>;
    }[];
    expect(ai.find((i) => i.module === "ai")?.settings).toMatchObject({ mentionReplies: true, dailyTokens: 5000 });
    await shoot(page, "portal-module-ai.png");
    await everyPageFits("admin");
  });

  it("as a moderator: every page reads, none offers a change", async () => {
    const { email, password } = await invitedAccount("moderator");
    await browser.context.clearCookies();
    await page.evaluate(() => localStorage.clear());
    await page.setViewportSize(DESKTOP); // the navigation signIn waits for folds away on a phone
    await signIn(page, origin, email, password);
    await page.goto(`${origin}/#/module-data`);
    await open("Quotes");
    await page
      .locator(`tr[data-quote="${quote}"]`)
      .filter({ hasText: `Penguins ${tag} waddle` })
      .waitFor();
    expect(await page.getByRole("button", { name: `Edit quote ${quote}` }).count()).toBe(0);
    await open("Counters");
    await page.locator(`tr[data-counter="falls${tag}"]`).waitFor();
    expect(await page.getByRole("form").count()).toBe(0);
    for (const name of ["Inventory", "Timers", "Giveaways"]) {
      await open(name);
      expect(await page.getByRole("form").count(), name).toBe(0);
    }
    await open("AI chat");
    expect(await page.getByRole("button", { name: "Save AI settings" }).count()).toBe(0);
    await everyPageFits("moderator");
  });
});
