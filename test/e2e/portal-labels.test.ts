/**
 * The Labels page in Chromium, signed in as the seeded admin: make a label, put it on a member,
 * bulk-apply from a pasted list (a bad line is named and nothing applies), map it to a role.
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { adminApi } from "./platforms.ts";
import { openBrowser, type PortalBrowser, shoot, signIn, visit } from "./portal-support.ts";

const origin = inject("urls").router;
const vars = inject("vars");
const communityId = inject("demoCommunityId");
const name = `Helper ${crypto.randomUUID().slice(0, 4)}`;

let browser: PortalBrowser;
let page: Page;
let adminUserId: string;

beforeAll(async () => {
  browser = await openBrowser(origin);
  page = await browser.context.newPage();
  await page.setViewportSize({ width: 1280, height: 900 });
  const members = (await adminApi("GET", `/api/v1/communities/${communityId}/members`)).body.data as {
    userId: string;
    email: string | null;
  }[];
  adminUserId = members.find((m) => m.email === vars.ADMIN_EMAIL)!.userId;
}, 60_000);
afterAll(async () => browser?.close());

const adminLabels = async () =>
  (
    (await adminApi("GET", `/api/v1/communities/${communityId}/members/${adminUserId}/labels`)).body.data as {
      labels: { name: string }[];
    }
  ).labels.map((l) => l.name);

describe("the Labels page", { timeout: 60_000 }, () => {
  it("creates a label, and refuses a duplicate name with the API's message", async () => {
    await signIn(page, origin, vars.ADMIN_EMAIL!, vars.ADMIN_PASSWORD!);
    await visit(page, "Labels", "Labels");
    await page.getByRole("button", { name: "New label" }).click();
    await page.getByLabel("Name", { exact: true }).fill(name);
    await page.getByLabel("Description").fill("helps out in chat");
    await page.getByRole("button", { name: "Save" }).click();
    await page.locator(`tr[data-label="${name}"]`).waitFor();
    await page.getByRole("button", { name: "New label" }).click();
    await page.getByLabel("Name", { exact: true }).fill(` ${name.toUpperCase()} `);
    await page.getByRole("button", { name: "Save" }).click();
    await expect.poll(() => page.locator("form .error").textContent()).toMatch(/already exists/);
    await page.getByRole("button", { name: "Cancel" }).click();
  });

  it("puts the label on a member and takes it off again", async () => {
    await page.getByLabel("Member", { exact: true }).selectOption(adminUserId);
    await page.getByLabel("Add label").selectOption({ label: name });
    await page.getByRole("button", { name: "Add", exact: true }).click();
    await page.getByTestId("member-labels").locator(".badge", { hasText: name }).waitFor();
    expect(await adminLabels()).toEqual([name]);
    await page.getByRole("button", { name: `Remove ${name}` }).click();
    await page.getByTestId("member-labels").getByText("No labels.").waitFor();
    expect(await adminLabels()).toEqual([]);
  });

  it("bulk apply names every bad line and applies nothing, then applies a clean list", async () => {
    const list = page.getByLabel(/Members, one per line/);
    await list.fill(`${vars.ADMIN_EMAIL}\nnobody@nowhere.test`);
    await page.getByLabel("Label to apply").selectOption({ label: name });
    await page.getByRole("button", { name: "Apply" }).click();
    await expect.poll(() => page.getByTestId("bulk-invalid").textContent()).toMatch(/Line 2 \(nobody@nowhere.test\)/);
    expect(await adminLabels()).toEqual([]);
    await list.fill(vars.ADMIN_EMAIL!);
    await page.getByRole("button", { name: "Apply" }).click();
    await expect.poll(() => page.getByTestId("bulk-done").textContent()).toMatch(/1 added/);
    expect(await adminLabels()).toEqual([name]);
  });

  it("maps the label to a Twitch role, and refuses a role Twitch does not have", async () => {
    const form = page.getByRole("form", { name: "New entity group" });
    await form.getByLabel("Label").selectOption({ label: name });
    await form.getByLabel("Platform").selectOption("twitch");
    await form.getByLabel(/Role/).fill("editor");
    await form.getByRole("button", { name: "Add group" }).click();
    await expect
      .poll(() => page.locator('section[aria-labelledby="groups-title"] .error').textContent())
      .toMatch(/vip/);
    await form.getByLabel(/Role/).fill("vip");
    await form.getByRole("button", { name: "Add group" }).click();
    await page.locator(`tr[data-group="${name}:twitch"]`).waitFor();
    await shoot(page, "portal-labels.png");
    expect(browser.offMachine).toEqual([]);
  });
});
