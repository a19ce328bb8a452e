import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { invitedAccount } from "./accounts.ts";
import { adminApi } from "./platforms.ts";
import { openBrowser, type PortalBrowser, shoot, signIn, visit } from "./portal-support.ts";

const origin = inject("urls").router;
const communityId = inject("demoCommunityId");

let browser: PortalBrowser;
let page: Page;

beforeAll(async () => {
  // There is no sign-up: the community's owner invites the moderator through the admin API,
  // and the moderator accepts the emailed link (read from the local dev mailbox) with their
  // own password.
  const { email, password } = await invitedAccount("moderator");
  browser = await openBrowser(origin);
  page = await browser.context.newPage();
  await page.setViewportSize({ width: 1280, height: 860 });
  await signIn(page, origin, email, password);
}, 60_000);
afterAll(async () => browser?.close());

const nav = () => page.getByRole("navigation", { name: "Pages" });

describe("the portal for a moderator", { timeout: 60_000 }, () => {
  it("shows the pages a moderator may use, and not the admin-only audit trail", async () => {
    const links = await nav().getByRole("link").allTextContents();
    expect(links).toEqual([
      "Dashboard",
      "Commands",
      "Moderation",
      "Cooldowns",
      "Executions",
      "Members",
      "Labels",
      "Overlays",
      "Marketplace",
      "Installed modules",
      "Module data",
      "Calendar",
      "Music",
      "My modules",
      "Workflows",
      "API keys",
      "Platforms",
    ]);
  });

  it("sees the Labels page without any write control (labels:write is an admin's)", async () => {
    const name = `Seen ${crypto.randomUUID().slice(0, 4)}`;
    expect((await adminApi("POST", `/api/v1/communities/${communityId}/labels`, { name })).status).toBe(201);
    await visit(page, "Labels", "Labels");
    await page.locator(`tr[data-label="${name}"]`).waitFor();
    await page.getByRole("heading", { name: "Entity groups" }).waitFor();
    expect(await page.getByRole("button", { name: "New label" }).count()).toBe(0);
    expect(await page.getByRole("button", { name: `Edit ${name}` }).count()).toBe(0);
    expect(await page.getByRole("heading", { name: "Apply to a list" }).count()).toBe(0);
    expect(await page.getByRole("form", { name: "New entity group" }).count()).toBe(0);
  });

  it("cannot reach the audit trail by its address either", async () => {
    await page.goto(`${origin}/#/audit`);
    await page.getByTestId("forbidden").waitFor();
    expect(await page.getByRole("heading", { level: 1, name: "Audit trail" }).count()).toBe(0);
    await shoot(page, "portal-moderator-denied.png");
  });

  it("sees commands and rules without write buttons, but may use try-it and the rule tester", async () => {
    await visit(page, "Commands", "Commands");
    expect(await page.getByRole("button", { name: "New command" }).count()).toBe(0);
    expect(await page.getByRole("button", { name: /^Delete/ }).count()).toBe(0);
    await page.getByLabel("Message").fill("!ping");
    await page.getByRole("button", { name: "Send" }).click();
    await page.getByTestId("tryit-reply").waitFor();
    await visit(page, "Moderation", "Moderation rules");
    expect(await page.getByRole("button", { name: "New rule" }).count()).toBe(0);
    await page.getByRole("button", { name: "Test" }).waitFor();
  });

  it("sees members but cannot change roles, nor rotate overlay URLs", async () => {
    await visit(page, "Members", "Members and roles");
    expect(await page.getByRole("combobox", { name: /^Role of/ }).count()).toBe(0);
    await visit(page, "Overlays", "Overlays");
    expect(await page.getByRole("button", { name: "Rotate URL" }).count()).toBe(0);
  });

  it("sees the alert switches and rate limits but cannot change them; reads the executions log", async () => {
    await visit(page, "Overlays", "Overlays");
    expect(await page.getByLabel("New followers").isDisabled()).toBe(true);
    expect(await page.getByLabel("Font").isDisabled()).toBe(true);
    expect(await page.getByRole("button", { name: "Save look" }).count()).toBe(0);
    expect(await page.getByRole("button", { name: /^Test/ }).count()).toBe(0);
    await visit(page, "Cooldowns", "Cooldowns and rate limits");
    expect(await page.getByLabel("Uses per person and command").isDisabled()).toBe(true);
    expect(await page.getByRole("button", { name: "Save limits" }).count()).toBe(0);
    await visit(page, "Executions", "Executions log");
    await page.getByRole("button", { name: "Filter" }).waitFor();
  });

  it("and the API refuses what the portal hides (same session, same rules)", async () => {
    const status = await page.evaluate(async (id) => {
      const audit = await fetch(`/api/v1/audit?communityId=${id}`);
      const csrf = document.cookie.match(/wb_csrf=([^;]+)/)?.[1] ?? "";
      const create = await fetch(`/api/v1/communities/${id}/commands`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-csrf-token": csrf },
        body: JSON.stringify({ name: "sneaky", response: "no" }),
      });
      return [audit.status, create.status];
    }, communityId);
    expect(status).toEqual([403, 403]);
  });

  it("ran under the portal's CSP without a single violation", () => {
    expect(browser.cspViolations).toEqual([]);
  });
});
