/**
 * The portal's Platforms page is the connect page: in Chromium, an owner connects Twitch through
 * the (fake) platform's authorize page and comes back to real status and granted scopes, sees in
 * plain words what a missing scope breaks, sees the reason when they cancel, and disconnects.
 */
import type { Page, Route } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { openBrowser, type PortalBrowser, shoot, signIn, visit } from "./portal-support.ts";

const origin = inject("urls").router;
const vars = inject("vars");
const communityId = inject("portalCommunityId");
const broadcaster = String(300_000_000 + Math.floor(Math.random() * 1e8));

let browser: PortalBrowser;
let page: Page;

/** What the person does on the platform's authorize page (fake-oauth.ts's fake_* parameters). */
const onAuthorizePage = (person: Record<string, string>) => async (route: Route) => {
  const url = new URL(route.request().url());
  for (const [k, v] of Object.entries(person)) url.searchParams.set(k, v);
  await route.continue({ url: url.toString() });
};

beforeAll(async () => {
  browser = await openBrowser(origin);
  page = await browser.context.newPage();
  await page.setViewportSize({ width: 1280, height: 900 });
  page.on("dialog", (d) => void d.accept());
  await signIn(page, origin, vars.ADMIN_EMAIL!, vars.ADMIN_PASSWORD!);
  await page.getByRole("combobox", { name: "Community" }).selectOption(communityId);
}, 60_000);
afterAll(async () => browser?.close());

const card = (p: string) => page.locator(`[data-platform="${p}"]`);

describe("the connect page", { timeout: 60_000 }, () => {
  it("shows every platform as not connected, with a Connect button", async () => {
    await visit(page, "Platforms", "Platforms");
    for (const p of ["discord", "twitch", "slack"]) {
      await expect.poll(() => card(p).locator(".badge").first().textContent()).toBe("not connected");
      expect(await card(p).getByRole("button", { name: "Connect" }).count()).toBe(1);
    }
  });

  it("connects Twitch through the authorize page and names the scope the broadcaster did not grant", async () => {
    const granted =
      "channel:bot moderator:read:followers channel:read:subscriptions bits:read moderator:manage:chat_messages";
    await page.route(
      "**/oauth2/authorize?*",
      onAuthorizePage({ fake_user: `${broadcaster}.portalstreamer`, fake_scopes: granted }),
    );
    await card("twitch").getByRole("button", { name: "Connect" }).click();
    await page.waitForURL(/#\/platforms\?connected=twitch/);
    await page.getByRole("status").filter({ hasText: "Connected twitch." }).waitFor();
    await expect.poll(() => card("twitch").locator(".badge").first().textContent()).toBe("connected");
    expect(await card("twitch").textContent()).toContain("portalstreamer");
    expect(await card("twitch").locator(".scopes").textContent()).toContain("moderator:manage:chat_messages");
    await card("twitch")
      .getByText(
        "Twitch: the broadcaster has not granted moderator:manage:banned_users — moderation (timeouts and bans) will be refused.",
      )
      .waitFor();
    await page.unroute("**/oauth2/authorize?*");
    await shoot(page, "portal-connect.png");
  });

  it("cancelling at Slack comes back with the reason shown, nothing connected", async () => {
    await page.route("**/slack/oauth/v2/authorize?*", onAuthorizePage({ fake_deny: "1" }));
    await card("slack").getByRole("button", { name: "Connect" }).click();
    await page.waitForURL(/#\/platforms\?connect=slack&error=/);
    await expect.poll(() => page.getByRole("alert").first().textContent()).toBe("slack: The user denied you access");
    await expect.poll(() => card("slack").locator(".badge").first().textContent()).toBe("not connected");
    await page.unroute("**/slack/oauth/v2/authorize?*");
  });

  it("disconnects Twitch", async () => {
    await card("twitch").getByRole("button", { name: "Disconnect" }).click();
    await page.getByRole("status").filter({ hasText: "Twitch channel disconnected." }).waitFor();
    await expect.poll(() => card("twitch").locator(".badge").first().textContent()).toBe("not connected");
    expect(browser.offMachine).toEqual([]);
  });
});
