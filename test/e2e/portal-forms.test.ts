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

let cooldownsBefore: unknown;

beforeAll(async () => {
  cooldownsBefore = (await adminApi("GET", `${base}/cooldowns`)).body.data;
  browser = await openBrowser(origin);
  page = await browser.context.newPage();
  await page.setViewportSize({ width: 1280, height: 860 });
  await signIn(page, origin, vars.ADMIN_EMAIL!, vars.ADMIN_PASSWORD!);
}, 60_000);
// The demo community is shared with the other e2e files: put back what this file changed.
afterAll(async () => {
  await browser?.close();
  await adminApi("PUT", `${base}/cooldowns`, cooldownsBefore);
  const rules = (await adminApi("GET", `${base}/moderation/rules`)).body.data as { id: string; name: string }[];
  for (const r of rules.filter((r) => r.name === "Only YouTube links")) {
    await adminApi("DELETE", `${base}/moderation/rules/${r.id}`);
  }
  const commands = (await adminApi("GET", `${base}/commands`)).body.data as { id: string; name: string }[];
  for (const c of commands.filter((c) => c.name === "slowpoke")) await adminApi("DELETE", `${base}/commands/${c.id}`);
});

const fieldError = (path: string) => page.locator(`[data-field="${path}"] [data-testid="field-error"]`);
const toast = () => page.getByTestId("toast").last();
const commandNames = async () =>
  ((await adminApi("GET", `${base}/commands`)).body.data as { name: string }[]).map((c) => c.name);

describe("forms say what is wrong, under the field, and confirm what they did", { timeout: 60_000 }, () => {
  it("a too-long command name: the counter says so and the API's reason is under the field; nothing is saved", async () => {
    await visit(page, "Commands", "Commands");
    await page.getByRole("button", { name: "New command" }).click();
    const name = "n".repeat(33);
    await page.getByLabel("Name (without !)").fill(name);
    await page.locator('[data-field="name"] .counter', { hasText: "33 / 32 (1 too many)" }).waitFor();
    await page.getByLabel("Response").fill("hello");
    await page.getByRole("button", { name: "Save" }).click();
    await expect.poll(() => fieldError("name").textContent()).toContain("1–32 characters");
    expect(await page.getByLabel("Name (without !)").getAttribute("aria-invalid")).toBe("true");
    expect(await page.getByRole("alert").textContent()).toBe("Check the field marked above.");
    expect(await commandNames()).not.toContain(name);
    await expectFitsAndAccessible(page, "command form with an error");
    await shoot(page, "portal-field-errors.png");
  });

  it("an unknown template variable is named under Response; Twitch's 500 is said past 500 characters", async () => {
    await page.getByLabel("Name (without !)").fill("formshello");
    await page.getByLabel("Response").fill("hi {usr}");
    await page.getByRole("button", { name: "Save" }).click();
    await expect.poll(() => fieldError("response").textContent()).toContain("{usr}");
    expect(await fieldError("name").count()).toBe(0);
    await page.getByLabel("Response").fill("r".repeat(501));
    await page.locator('[data-field="response"] .counter', { hasText: "Twitch shows only the first 500" }).waitFor();
    expect(await commandNames()).not.toContain("formshello");
  });

  it("a save shows a toast; a delete asks first, and Cancel or Escape keeps the command", async () => {
    await page.getByLabel("Response").fill("Hello {user}!");
    await page.getByRole("button", { name: "Save" }).click();
    await expect.poll(() => toast().textContent()).toContain("Created !formshello");
    const row = page.locator('tr[data-command="formshello"]');
    await row.getByRole("button", { name: /^Delete/ }).click();
    const dialog = page.getByRole("dialog", { name: "Delete !formshello?" });
    await dialog.getByRole("button", { name: "Cancel" }).click();
    await row.getByRole("button", { name: /^Delete/ }).click();
    await dialog.waitFor();
    await page.keyboard.press("Escape");
    await expect.poll(() => dialog.count()).toBe(0);
    expect(await commandNames()).toContain("formshello");
    await row.getByRole("button", { name: /^Delete/ }).click();
    await dialog.getByRole("button", { name: "Delete" }).click();
    await expect.poll(() => toast().textContent()).toContain("Deleted !formshello");
    expect(await commandNames()).not.toContain("formshello");
  });

  it("Try it shows a cooldown as the result, not a red error above an old reply", async () => {
    expect(
      (await adminApi("POST", `${base}/commands`, { name: "slowpoke", response: "once", userCooldownSec: 600 })).status,
    ).toBe(201);
    await page.getByLabel("Message").fill("!slowpoke");
    await page.getByRole("button", { name: "Send" }).click();
    await page.getByTestId("tryit-reply").waitFor();
    await page.getByRole("button", { name: "Send" }).click();
    await page.getByTestId("tryit-cooldown").waitFor();
    expect(await page.getByTestId("tryit-reply").count()).toBe(0);
    expect(await page.locator(".tryit .error").count()).toBe(0);
  });

  it("a links rule with the YouTube preset, !permit, an escalation step and a webhook secret; a bad domain or permit window is refused under its field", async () => {
    await visit(page, "Moderation", "Moderation rules");
    await page.getByRole("button", { name: "New rule" }).click();
    await page.getByLabel("Name", { exact: true }).fill("Only YouTube links");
    await page.getByLabel("Match").selectOption("links");
    await page.getByRole("button", { name: "Allow YouTube" }).click();
    const domains = page.getByLabel(/^Links allowed/);
    expect(await domains.inputValue()).toBe("youtube.com\nyoutu.be");
    await domains.fill("youtube.com\nnot a domain");
    expect(await page.getByRole("checkbox", { name: /Moderators may !permit/ }).isChecked()).toBe(true);
    const permitSec = page.getByLabel(/^A plain !permit lasts/);
    await permitSec.fill("601");
    await page.getByLabel("Action", { exact: true }).selectOption("webhook");
    await page.getByLabel("Webhook URL (https)").fill("https://hooks.example.com/mod");
    await page.getByLabel("Signing secret").fill("s3cret-s3cret-s3cret");
    await page.getByRole("button", { name: "Add escalation step" }).click();
    await page.getByLabel("Step 1: action").selectOption("ban");
    await page.getByRole("button", { name: "Save rule" }).click();
    await expect
      .poll(() => fieldError("options.allowedDomains").textContent())
      .toBe("line 2: a domain such as example.com");
    expect(await fieldError("options.permitSec").textContent()).toMatch(/600/);
    // The form with every section open and its errors showing: labelled, AA contrast, fits a phone.
    await expectFitsAndAccessible(page, "rule form (links, webhook, escalation, errors)");
    await page.setViewportSize(PHONE);
    await expectFitsAndAccessible(page, "rule form on a phone");
    await page.setViewportSize({ width: 1280, height: 860 });
    await shoot(page, "portal-rule-form.png");
    const rules = async () =>
      (await adminApi("GET", `${base}/moderation/rules`)).body.data as Record<string, unknown>[];
    expect((await rules()).some((r) => r.name === "Only YouTube links")).toBe(false);
    await domains.fill("youtube.com");
    await permitSec.fill("45");
    await page.getByRole("button", { name: "Allow Twitch clips" }).click();
    await page.getByRole("button", { name: "Save rule" }).click();
    await expect.poll(() => toast().textContent()).toContain("Created the rule “Only YouTube links”");
    const saved = (await rules()).find((r) => r.name === "Only YouTube links")!;
    expect(saved.options).toEqual({ allowedDomains: ["youtube.com", "clips.twitch.tv"], permit: true, permitSec: 45 });
    expect(saved.actionConfig).toEqual({ url: "https://hooks.example.com/mod", secret: "[set]" });
    expect(saved.escalation).toEqual([{ strikes: 3, action: "ban" }]);
  });

  it("cooldowns: a bad value is refused under its field and nothing changes; a good one saves", async () => {
    await visit(page, "Cooldowns", "Cooldowns and rate limits");
    const before = (await adminApi("GET", `${base}/cooldowns`)).body.data;
    await page.getByLabel("Uses per person and command").fill("0");
    await page.getByRole("button", { name: "Save limits" }).click();
    await expect.poll(() => fieldError("userCommandLimit").textContent()).toMatch(/>=1|at least|too small/i);
    expect((await adminApi("GET", `${base}/cooldowns`)).body.data).toEqual(before);
    await page.getByLabel("Uses per person and command").fill("7");
    await page.getByRole("button", { name: "Save limits" }).click();
    await expect.poll(() => toast().textContent()).toContain("Rate limits saved");
    expect((await adminApi("GET", `${base}/cooldowns`)).body.data).toMatchObject({ userCommandLimit: 7 });
    await shoot(page, "portal-cooldowns.png");
  });

  it("the executions log filters by command and marks Try-it runs as tests", async () => {
    await visit(page, "Executions", "Executions log");
    await page.getByLabel("Command").fill("!slowpoke");
    await page.getByRole("button", { name: "Filter" }).click();
    const row = page.locator('tr[data-execution="!slowpoke"]').first();
    await row.waitFor();
    expect(await row.getAttribute("data-simulated")).toBe("true");
    expect(await row.locator(".badge", { hasText: "test" }).count()).toBe(1);
    await shoot(page, "portal-executions.png");
    await page.getByLabel("Command").fill("!nosuchthing");
    await page.getByRole("button", { name: "Filter" }).click();
    await page.getByText("No runs match.").waitFor();
  });

  it("the audit trail names who changed what, from → to, and marks Try-it runs as tests", async () => {
    await visit(page, "Audit trail", "Audit trail");
    await page.getByLabel("Action").fill("cooldowns.update");
    await page.getByRole("button", { name: "Filter" }).click();
    const change = page.locator('tr[data-action="cooldowns.update"]').first();
    await change.waitFor();
    expect(await change.locator('td[data-label="Who"]').textContent()).toBe("Admin");
    expect(await change.locator('td[data-label="Change"]').textContent()).toContain("userCommandLimit:");
    expect(await change.locator('td[data-label="Change"]').textContent()).toContain("→ 7");
    await shoot(page, "portal-audit-changes.png");
    await page.getByLabel("Action").fill("command.delete");
    await page.getByRole("button", { name: "Filter" }).click();
    await page.locator('tr[data-action="command.delete"]', { hasText: "!formshello" }).waitFor();
    await page.getByLabel("Action").fill("simulate.run");
    await page.getByRole("button", { name: "Filter" }).click();
    const tried = page.locator('tr[data-action="simulate.run"]').first();
    await tried.waitFor();
    expect(await tried.getAttribute("data-simulated")).toBe("true");
    expect(await tried.locator(".badge", { hasText: "test" }).count()).toBe(1);
  });

  it("the keyboard reaches the skip link first, and focus is visible", async () => {
    await page.goto(`${origin}/#/dashboard`);
    await page.reload(); // a fresh document: nothing focused yet
    await page.getByRole("heading", { level: 1, name: "Dashboard" }).waitFor();
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Skip to content");
    const outline = await page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle);
    expect(outline).not.toBe("none");
    await page.keyboard.press("Enter");
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("main");
    expect(browser.cspViolations).toEqual([]);
  });

  // Last in the file: it signs in as someone else. The admin's own page shows their latest 20
  // events, and the admin is busy in other files that run at the same time, so a person of its
  // own makes "my sign-in is listed" a fact about this test alone.
  it("my account page lists my own sign-ins", async () => {
    const { email, password } = await invitedAccount("moderator");
    await page.goto(`${origin}/#/dashboard`);
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.getByLabel("Email").waitFor();
    await signIn(page, origin, email, password);
    await page.goto(`${origin}/#/account`);
    await page.locator('tr[data-action="auth.login"]').first().waitFor();
  });
});
