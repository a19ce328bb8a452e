import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { invitedAccount } from "./accounts.ts";
import { adminApi } from "./platforms.ts";
import { expectFitsAndAccessible, PHONE } from "./portal-a11y.ts";
import { openBrowser, type PortalBrowser, shoot, signIn, visit } from "./portal-support.ts";

const origin = inject("urls").router;
const vars = inject("vars");
const communityId = inject("demoCommunityId");
const base = `/api/v1/communities/${communityId}`;

let browser: PortalBrowser;
let page: Page;

let styleBefore: unknown;

beforeAll(async () => {
  styleBefore = (await adminApi("GET", `${base}/overlays/style`)).body.data;
  browser = await openBrowser(origin);
  page = await browser.context.newPage();
  await page.setViewportSize({ width: 1280, height: 860 });
  await signIn(page, origin, vars.ADMIN_EMAIL!, vars.ADMIN_PASSWORD!);
}, 60_000);
// The demo community is shared with the other e2e files: put back what this file changed.
afterAll(async () => {
  await browser?.close();
  await adminApi("PUT", `${base}/overlays/alerts`, { follow: false });
  await adminApi("PUT", `${base}/overlays/style`, styleBefore);
});

const fieldError = (path: string) => page.locator(`[data-field="${path}"] [data-testid="field-error"]`);
const toast = () => page.getByTestId("toast").last();

describe("settings pages: overlay alerts and look, scoped keys, role changes", { timeout: 60_000 }, () => {
  it("overlay alerts: a switch saves, and each kind has its own test button", async () => {
    await visit(page, "Overlays", "Overlays");
    const follow = page.locator('[data-alert="follow"]');
    await follow.getByLabel("New followers").check();
    await expect.poll(() => toast().textContent()).toContain("New followers: alerts on");
    expect((await adminApi("GET", `${base}/overlays/alerts`)).body.data).toMatchObject({ follow: true, raid: false });
    expect(
      await page
        .locator(".switches")
        .getByRole("button", { name: /^Test / })
        .count(),
    ).toBe(5);
    await page.locator('[data-alert="raid"]').getByRole("button", { name: "Test Raids" }).click();
    await expect.poll(() => toast().textContent()).toContain("Sent a test Raids alert");
    await page.getByRole("button", { name: "Test the media overlay" }).click();
    await expect.poll(() => toast().textContent()).toContain("Sent a test song");
  });

  it("the overlay look saves per community and the overlay page's stylesheet carries it", async () => {
    await page.getByLabel("Font").selectOption("serif");
    await page.getByLabel("Accent colour").fill("#ff0066");
    await page.getByLabel("Ticker and announcements at").selectOption("bottom");
    await page.getByRole("button", { name: "Save look" }).click();
    await expect.poll(() => toast().textContent()).toContain("Overlay look saved");
    await shoot(page, "portal-overlay-look.png");
    const url = await page.getByLabel("ticker overlay URL").inputValue();
    const css = await (await fetch(`${url}/style.css`)).text();
    expect(css).toContain("--accent: #ff0066");
    expect(css).toContain("align-items: flex-end");
    await page.getByLabel("Alerts stay for (s)").fill("99");
    await page.getByRole("button", { name: "Save look" }).click();
    await expect.poll(() => fieldError("alertDurationSec").textContent()).toMatch(/60/);
    expect((await adminApi("GET", `${base}/overlays/style`)).body.data).toMatchObject({ alertDurationSec: 8 });
  });

  it("a key limited to ticked scopes: none ticked is refused; commands:read reads but cannot write", async () => {
    await visit(page, "API keys", "API keys");
    await page.getByLabel("Name", { exact: true }).fill("read only");
    await page.getByLabel("Only what I tick").check();
    await page.getByRole("button", { name: "Create key" }).click();
    await page
      .locator('[data-field="scopes"] ~ [data-testid="field-error"], fieldset [data-testid="field-error"]')
      .first()
      .waitFor();
    expect(await page.getByTestId("new-key").count()).toBe(0);
    await expectFitsAndAccessible(page, "key form with scopes and an error");
    await page.getByLabel("commands:read").check();
    await page.getByLabel("Expires after").selectOption("30");
    await page.getByRole("button", { name: "Create key" }).click();
    const key = await page.getByLabel("New API key").inputValue();
    const call = (method: string) =>
      fetch(`${origin}${base}/commands`, {
        method,
        headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
        body: method === "POST" ? JSON.stringify({ name: "viakey", response: "x" }) : undefined,
      }).then((r) => r.status);
    expect(await call("GET")).toBe(200);
    expect(await call("POST")).toBe(403);
    await page.locator('tr[data-key="read only"]', { hasText: "commands:read" }).waitFor();
  });

  it("on a phone, a role change asks first; making someone owner needs the community's name typed", async () => {
    const member = await invitedAccount("member");
    const communities = (await adminApi("GET", "/api/v1/communities")).body.data as { id: string; name: string }[];
    const name = communities.find((c) => c.id === communityId)!.name;
    await page.setViewportSize(PHONE);
    await page.goto(`${origin}/#/members`);
    const select = page.locator(`tr[data-member="${member.email}"]`).getByRole("combobox", { name: /^Role of/ });
    await select.waitFor();
    await select.selectOption("moderator");
    const dialog = page.getByRole("dialog");
    await dialog.getByRole("button", { name: "Cancel" }).click();
    const roleOf = async () =>
      ((await adminApi("GET", `${base}/members`)).body.data as { userId: string; role: string }[]).find(
        (m) => m.userId === member.userId,
      )?.role;
    expect(await roleOf()).toBe("member");
    expect(await select.inputValue()).toBe("member");
    await select.selectOption("moderator");
    await dialog.getByRole("button", { name: "Make moderator" }).click();
    await expect.poll(() => toast().textContent()).toContain("is now moderator");
    expect(await roleOf()).toBe("moderator");
    const mails = await fetch(`${origin}/api/v1/auth/dev/mailbox?to=${encodeURIComponent(member.email)}`);
    const subjects = ((await mails.json()) as { data: { subject: string }[] }).data.map((m) => m.subject);
    expect(subjects).toContain(`Your role in ${name} is now moderator`);
    await select.selectOption("owner");
    const confirm = dialog.getByRole("button", { name: "Make owner" });
    expect(await confirm.isDisabled()).toBe(true);
    await dialog.getByLabel(/^Type/).fill("not the name");
    expect(await confirm.isDisabled()).toBe(true);
    await expectFitsAndAccessible(page, "owner confirmation on a phone");
    await dialog.getByLabel(/^Type/).fill(name);
    await shoot(page, "portal-phone-owner-confirm.png");
    await confirm.click();
    await expect.poll(roleOf).toBe("owner");
    await page.setViewportSize({ width: 1280, height: 860 });
  });
});
