/**
 * Invitations in a real browser: the admin invites by email on the Members page, the invited
 * person opens the emailed link, chooses their own password and lands signed in; an email that
 * already has an account is sent to sign in and brought back; a used link says so.
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { invite, mailedLink, members, uniqueEmail } from "./accounts.ts";
import { openBrowser, type PortalBrowser, shoot, signIn, visit } from "./portal-support.ts";

const origin = inject("urls").router;
const vars = inject("vars");

let browser: PortalBrowser;
let page: Page;

beforeAll(async () => {
  browser = await openBrowser(origin);
  page = await browser.context.newPage();
  await page.setViewportSize({ width: 1440, height: 900 });
}, 60_000);
afterAll(async () => browser?.close());

/** No sideways scrolling: the page fits the viewport's width. */
const fitsWidth = () => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);

const email = uniqueEmail("invited");
const password = `invited-${crypto.randomUUID()}`;
let firstLink: string;

describe("inviting someone by email, in the portal", { timeout: 60_000 }, () => {
  it("the admin invites on the Members page and sees the API's answer", async () => {
    await signIn(page, origin, vars.ADMIN_EMAIL!, vars.ADMIN_PASSWORD!);
    await visit(page, "Members", "Members and roles");
    const form = page.getByRole("form", { name: "Invite by email" });
    await form.getByLabel("Email").fill(email);
    await form.getByLabel("Role").selectOption("moderator");
    await form.getByRole("button", { name: "Send invitation" }).click();
    await expect.poll(() => form.getByRole("status").textContent()).toContain(`Invitation sent to ${email}`);
    // Bad input gets the API's own words under the field, not "Invalid input".
    await form.getByLabel("Email").fill("x@y");
    await form.getByRole("button", { name: "Send invitation" }).click();
    const fieldError = form.locator('[data-field="email"] [data-testid="field-error"]');
    await expect.poll(() => fieldError.textContent()).toMatch(/email/i);
    expect(await form.getByLabel("Email").getAttribute("aria-invalid")).toBe("true");
    expect(await form.getByRole("alert").textContent()).toBe("Check the field marked above.");
    await shoot(page, "portal-invite.png");
    firstLink = await mailedLink(email, "/accept-invite");
    expect(firstLink.startsWith(`${origin}/accept-invite?token=wbi_`)).toBe(true);
    expect((await members()).some((m) => m.email === email)).toBe(false); // not a member until they accept
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.getByRole("button", { name: "Sign in" }).waitFor();
  });

  it("the invited person chooses their own password, on a phone, and lands signed in on the dashboard", async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(firstLink);
    await page.getByRole("heading", { name: "Join a community on WaddleBot" }).waitFor();
    expect(await fitsWidth()).toBe(true);
    await page.getByLabel("Display name (optional)").fill("Ivy Invited");
    await page.getByLabel("Password", { exact: true }).fill("short");
    await page.getByLabel("Password again").fill("short");
    await page.getByRole("button", { name: "Create my account and accept" }).click();
    await expect.poll(() => page.getByRole("alert").textContent()).toContain("Use at least 12 characters");
    expect((await members()).some((m) => m.email === email)).toBe(false);

    await page.getByLabel("Password", { exact: true }).fill(password);
    await page.getByLabel("Password again").fill(`${password}x`);
    await page.getByRole("button", { name: "Create my account and accept" }).click();
    await expect.poll(() => page.getByRole("alert").textContent()).toContain("differ");

    await page.getByLabel("Password again").fill(password);
    await shoot(page, "portal-accept-invite-phone.png");
    await page.getByRole("button", { name: "Create my account and accept" }).click();
    await page.getByRole("heading", { level: 1, name: "Dashboard" }).waitFor();
    expect(await page.getByRole("link", { name: /Ivy Invited/ }).count()).toBe(1);
    expect(await fitsWidth()).toBe(true);
    const member = (await members()).find((m) => m.email === email);
    expect(member?.role).toBe("moderator");
  });

  it("a used link says it is used, and changes nothing", async () => {
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.goto(firstLink);
    await page.getByRole("button", { name: "Accept as Ivy Invited" }).click();
    await expect.poll(() => page.getByRole("alert").textContent()).toContain("invalid, used or expired");
    expect((await members()).filter((m) => m.email === email)).toHaveLength(1);
  });

  it("an email that has an account is sent to sign in, and brought back to accept", async () => {
    await page.goto(`${origin}/#/dashboard`);
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.getByRole("button", { name: "Sign in" }).waitFor();
    await invite(email, "moderator");
    const second = await mailedLink(email, "/accept-invite");
    expect(second).not.toBe(firstLink);
    await page.goto(second);
    await page.getByLabel("Password", { exact: true }).fill(`someone-else-${crypto.randomUUID()}`);
    await page.getByLabel("Password again").fill(await page.getByLabel("Password", { exact: true }).inputValue());
    await page.getByRole("button", { name: "Create my account and accept" }).click();
    await expect.poll(() => page.getByRole("alert").textContent()).toContain("An account with this email exists");
    await page.getByRole("link", { name: "Sign in, then come back to this invitation" }).click();
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill(password);
    await page.getByRole("button", { name: "Sign in" }).click();
    // Back on the invitation (not the dashboard), signed in as its owner.
    await page.getByRole("button", { name: "Accept as Ivy Invited" }).click();
    await page.getByRole("heading", { level: 1, name: "Dashboard" }).waitFor();
    expect(new URL(page.url()).pathname).toBe("/");
  });
});
