/**
 * Communities in a real browser: the instance owner creates one with "New community" and lands
 * in it, the switcher lists it beside the demo (marked as such, with a banner); the first-run
 * /setup page says the instance already has its owner.
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { openBrowser, type PortalBrowser, signIn } from "./portal-support.ts";

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

describe("communities in the portal", { timeout: 60_000 }, () => {
  it("/setup tells a visitor the instance already has its owner", async () => {
    await page.goto(`${origin}/setup#token=wbs_${"0".repeat(64)}`);
    await expect.poll(() => page.getByRole("status").textContent()).toContain("already has its owner");
  });

  it("the owner sees the demo marked, creates a community and is switched into it", async () => {
    await signIn(page, origin, vars.ADMIN_EMAIL!, vars.ADMIN_PASSWORD!);
    const switcher = page.getByRole("combobox", { name: "Community" });
    await expect
      .poll(() => switcher.locator("option").allTextContents())
      .toContainEqual(expect.stringContaining("[demo]"));
    await switcher.selectOption({ label: (await switcher.locator("option", { hasText: "[demo]" }).textContent())! });
    await page.getByTestId("demo-banner").waitFor();

    await page.getByRole("link", { name: "New community" }).click();
    const name = `Penguins ${crypto.randomUUID().slice(0, 6)}`;
    await page.getByLabel("Name", { exact: true }).fill(name);
    const slug = await page.getByLabel("Short name (in URLs)").inputValue();
    expect(slug).toMatch(/^penguins-[a-z0-9]+$/);
    // A slug the API refuses: its words are shown, nothing is created.
    await page.getByLabel("Short name (in URLs)").fill("demo");
    await page.getByRole("button", { name: "Create community" }).click();
    await expect.poll(() => page.getByRole("alert").textContent()).toContain("taken");
    await page.getByLabel("Short name (in URLs)").fill(slug);
    await page.getByRole("button", { name: "Create community" }).click();
    await expect.poll(async () => (await switcher.locator("option:checked").textContent()) ?? "").toContain(name);
    expect(await page.getByTestId("demo-banner").count()).toBe(0);
  });
});
