/**
 * The marketplace pages in Chromium, signed in as the seeded admin: find a module, install a
 * version with its settings form, change the version on the Installed modules page, publish the
 * next version on the author page.
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { adminApi, fakeUrl } from "./platforms.ts";
import { openBrowser, type PortalBrowser, shoot, signIn, visit } from "./portal-support.ts";

const origin = inject("urls").router;
const vars = inject("vars");
const name = `portal-mod-${crypto.randomUUID().slice(0, 6)}`;
const cmd = `pm${crypto.randomUUID().slice(0, 6)}`;

let browser: PortalBrowser;
let page: Page;

const version = (v: string, commands: string[]) => ({
  version: v,
  engine: "webhook",
  config: { url: `${fakeUrl}/module/${name}/${v}` },
  commands: commands.map((c) => ({ name: c, description: `the ${c} command` })),
  settings: {
    type: "object",
    properties: { greeting: { type: "string", title: "Greeting", enum: ["hello", "ahoy"] } },
    required: ["greeting"],
  },
});

beforeAll(async () => {
  const published = await adminApi("POST", "/api/v1/marketplace/modules", {
    name,
    displayName: "Portal penguins",
    description: "A module made for the portal test",
    categories: ["fun/portal"],
    labels: ["portaltest"],
    version: version("1.0.0", [cmd]),
  });
  expect(published.status).toBe(201);
  expect(
    (await adminApi("POST", `/api/v1/marketplace/modules/${name}/versions`, version("1.1.0", [cmd, `${cmd}x`]))).status,
  ).toBe(201);
  browser = await openBrowser(origin);
  page = await browser.context.newPage();
  await page.setViewportSize({ width: 1280, height: 900 });
  await signIn(page, origin, vars.ADMIN_EMAIL!, vars.ADMIN_PASSWORD!);
}, 60_000);
afterAll(async () => browser?.close());

describe("the marketplace pages", { timeout: 60_000 }, () => {
  it("finds the module by search and label, shows its versions and installs 1.0.0 with the settings form", async () => {
    await visit(page, "Marketplace", "Marketplace");
    await page.getByLabel("Search").fill(name);
    const card = page.locator(`li[data-module="${name}"]`);
    await card.waitFor();
    await page.getByLabel("Search").fill("");
    await card.getByRole("button", { name: "#portaltest" }).click();
    await expect.poll(() => page.locator("li[data-module]").count()).toBe(1);
    await card.getByRole("button", { name: /Details/ }).click();
    await page.getByRole("heading", { level: 1, name: "Portal penguins" }).waitFor();
    await page.locator('tr[data-version="1.1.0"]').waitFor();
    const form = page.getByRole("form", { name: "Install Portal penguins" });
    await form.getByLabel("Version").selectOption("1.0.0");
    await form.getByRole("button", { name: "Install" }).click();
    // The browser refuses an empty required setting before the API is asked.
    expect(await page.getByTestId("installed").count()).toBe(0);
    await form.getByLabel(/Greeting/).selectOption("ahoy");
    await form.getByRole("button", { name: "Install" }).click();
    const done = page.getByTestId("installed");
    await done.waitFor();
    expect(await done.textContent()).toContain(`!${cmd}`);
    expect(await done.textContent()).toMatch(/webhook secret/);
    await shoot(page, "portal-marketplace.png");
  });

  it("changes the installed version on the Installed modules page and shows usage", async () => {
    await visit(page, "Installed modules", "Installed modules");
    const card = page.locator(`article[data-installation="${name}"]`);
    await card.waitFor();
    expect(await card.locator("h2").textContent()).toContain("1.0.0");
    await card.getByTestId("usage").waitFor();
    await card.getByLabel("Version").selectOption("1.1.0");
    await card.getByRole("button", { name: "Change version" }).click();
    await expect.poll(() => card.locator("h2").textContent()).toContain("1.1.0");
    expect(await card.textContent()).toContain(`!${cmd}x`);
    expect(await card.getByLabel(/Greeting/).inputValue()).toBe("ahoy");
  });

  it("publishes the next version on the author page; a version that is not higher is refused with the API's message", async () => {
    await visit(page, "My modules", "My modules");
    const card = page.locator(`article[data-author-module="${name}"]`);
    await card.waitFor();
    const manifest = card.getByLabel("Version manifest (JSON)");
    expect(await manifest.inputValue()).toContain('"version": "1.1.1"');
    await card.getByRole("button", { name: "Publish version" }).click();
    await card.getByText("Published 1.1.1.").waitFor();
    await manifest.fill((await manifest.inputValue()).replace('"1.1.2"', '"1.0.5"').replace('"1.1.1"', '"1.0.5"'));
    await card.getByRole("button", { name: "Publish version" }).click();
    await expect.poll(() => card.getByRole("alert").textContent()).toContain("not higher");
    expect(browser.offMachine).toEqual([]);
  });
});
