/**
 * The signed-out and account pages in a real browser: "Forgot password?" and the emailed reset
 * link (the old password stops working), and a chat account's link request approved on
 * "My account" (the identity then belongs to the signed-in user).
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { invitedAccount, login, mailedLink, uniqueEmail } from "./accounts.ts";
import { fake, snowflake, twitchChat } from "./platforms.ts";
import { openBrowser, type PortalBrowser, shoot, signIn } from "./portal-support.ts";

const origin = inject("urls").router;

let browser: PortalBrowser;
let page: Page;

beforeAll(async () => {
  browser = await openBrowser(origin);
  page = await browser.context.newPage();
  await page.setViewportSize({ width: 390, height: 844 });
}, 60_000);
afterAll(async () => browser?.close());

const fitsWidth = () => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);

describe("resetting a forgotten password, in the portal", { timeout: 60_000 }, () => {
  it("asks for a link from the sign-in page, and says the same for any address", async () => {
    const account = await invitedAccount();
    for (const address of [uniqueEmail("nobody"), account.email]) {
      await page.goto(`${origin}/`);
      await page.getByRole("button", { name: "Forgot password?" }).click();
      await page.getByLabel("Email").fill(address);
      await page.getByRole("button", { name: "Email me a link" }).click();
      await expect
        .poll(() => page.getByRole("status").textContent())
        .toContain("If that address has an account, a link is on its way");
    }
    expect(await fitsWidth()).toBe(true);
    const link = await mailedLink(account.email, "/reset-password");
    expect(link.startsWith(`${origin}/reset-password?token=`)).toBe(true);

    await page.goto(link);
    await page.getByRole("heading", { name: "Choose a new password" }).waitFor();
    const fill = async (a: string, b: string) => {
      await page.getByLabel("New password", { exact: true }).fill(a);
      await page.getByLabel("New password again").fill(b);
      await page.getByRole("button", { name: "Set new password" }).click();
    };
    await fill("too-short", "too-short");
    await expect.poll(() => page.getByRole("alert").textContent()).toContain("Use at least 12 characters");
    const fresh = `new-${crypto.randomUUID()}`;
    await fill(fresh, `${fresh}!`);
    await expect.poll(() => page.getByRole("alert").textContent()).toContain("differ");
    expect((await login(account.email, account.password)).status).toBe(200); // nothing changed yet
    await shoot(page, "portal-reset-password-phone.png");
    await fill(fresh, fresh);
    await expect.poll(() => page.getByRole("status").textContent()).toContain("Password changed");

    expect((await login(account.email, account.password)).status).toBe(401);
    expect((await login(account.email, fresh)).status).toBe(200);

    // The link worked once.
    await page.goto(link);
    const again = `again-${crypto.randomUUID()}`;
    await fill(again, again);
    await expect.poll(() => page.getByRole("alert").textContent()).toContain("invalid, used or expired");
    expect((await login(account.email, fresh)).status).toBe(200);

    expect((await login(account.email, again)).status).toBe(401);
  });
});

/** Links a Discord account to `headers`' portal user: the code DMed to it, typed in the portal. */
async function linkDiscord(headers: Record<string, string>, discordId: string) {
  const json = { ...headers, "content-type": "application/json" };
  const started = await fetch(`${origin}/api/v1/me/identities`, {
    method: "POST",
    headers: json,
    body: JSON.stringify({ platform: "discord", username: discordId }),
  });
  expect(started.status).toBe(202);
  const dm = await fake.waitFor(`/discord/channels/dm-${discordId}/messages`);
  const code = (dm.body as { content: string }).content.match(/code is ([A-Z0-9]{6})\b/)?.[1];
  const verified = await fetch(`${origin}/api/v1/me/identities/verify`, {
    method: "POST",
    headers: json,
    body: JSON.stringify({ code }),
  });
  expect(verified.status).toBe(200);
}

/**
 * A portal user with a Discord identity, and a Twitch viewer who asked in Twitch chat to link
 * that Discord account and typed back the code it received: the account has a portal login,
 * so the link waits for its owner.
 */
async function pendingRequest() {
  const account = await invitedAccount();
  const session = await login(account.email, account.password);
  const discordId = snowflake();
  await linkDiscord(session.headers, discordId);
  const viewer = { id: String(Math.floor(Math.random() * 1e9)), name: `asker${crypto.randomUUID().slice(0, 6)}` };
  expect(await twitchChat(viewer, `!identity link discord ${discordId}`)).toContain("!verify");
  const dm = await fake.waitFor(`/discord/channels/dm-${discordId}/messages`, (r) =>
    (r.body as { content: string }).content.includes(viewer.name),
  );
  const code = (dm.body as { content: string }).content.match(/code is ([A-Z0-9]{6})\b/)?.[1];
  expect(await twitchChat(viewer, `!verify ${code}`)).toMatch(/approve/i);
  return { account, session, discordId, viewer };
}

const identitiesOf = async (headers: Record<string, string>) => {
  const res = await fetch(`${origin}/api/v1/me/identities`, { headers });
  expect(res.status).toBe(200);
  return ((await res.json()) as { data: { platform: string; platformUserId: string }[] }).data;
};

describe("approving a chat account's link request on My account", { timeout: 60_000 }, () => {
  it("shows who asked and from where, warns, and approving gives the user that identity", async () => {
    const { account, session, discordId, viewer } = await pendingRequest();
    await page.setViewportSize({ width: 1440, height: 900 });
    await signIn(page, origin, account.email, account.password);
    // On a phone the way there is the signed-in name in the top bar.
    await page.setViewportSize({ width: 390, height: 844 });
    await page.getByRole("link", { name: /my account/ }).click();
    await page.getByRole("heading", { level: 1, name: "My account" }).waitFor();
    const request = page.locator("li[data-request]", { hasText: viewer.name });
    await request.waitFor();
    expect(await request.textContent()).toContain(`${viewer.name} on Twitch asked to link your Discord account`);
    expect(await request.getByRole("note").textContent()).toContain(
      "Approving merges that Twitch chat account into yours",
    );
    expect(await fitsWidth()).toBe(true);
    await shoot(page, "portal-link-request-phone.png");
    const mine = () => page.getByTestId("my-identities").textContent();
    expect(await mine()).not.toContain(viewer.name);

    await page.setViewportSize({ width: 1440, height: 900 });
    await request.getByRole("button", { name: /Approve and merge/ }).click();
    await expect.poll(mine).toContain(viewer.name);
    expect(await page.locator("li[data-request]").count()).toBe(0);

    expect(await identitiesOf(session.headers)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ platform: "twitch", platformUserId: viewer.id }),
        expect.objectContaining({ platform: "discord", platformUserId: discordId }),
      ]),
    );
  });

  it("rejecting leaves the accounts apart", async () => {
    const { account, session, discordId, viewer } = await pendingRequest();
    await page.goto(`${origin}/#/dashboard`);
    await page.getByRole("button", { name: "Sign out" }).click();
    await signIn(page, origin, account.email, account.password);
    await page.getByRole("link", { name: /my account/ }).click();
    const request = page.locator("li[data-request]", { hasText: viewer.name });
    await request.getByRole("button", { name: /Reject/ }).click();
    await expect.poll(() => page.locator("li[data-request]").count()).toBe(0);
    expect((await identitiesOf(session.headers)).map((i) => `${i.platform}:${i.platformUserId}`)).toEqual([
      `discord:${discordId}`,
    ]);
  });
});

describe("the start banner's one-time sign-in link", { timeout: 60_000 }, () => {
  const hasSession = async () => (await browser.context.cookies()).some((c) => c.name === "wb_session");

  it("signs the admin in once in Chromium; the same link again says why and signs nobody in", async () => {
    const link = inject("adminLoginLink");
    await browser.context.clearCookies();
    await page.goto(link);
    await page.getByRole("navigation", { name: "Pages" }).waitFor();
    expect(page.url()).toBe(`${origin}/`);
    expect(await hasSession()).toBe(true);

    await browser.context.clearCookies();
    const again = await page.goto(link);
    expect(again?.status()).toBe(410);
    await page.getByRole("heading", { name: "This sign-in link was already used or has expired" }).waitFor();
    expect(await fitsWidth()).toBe(true);
    expect(await hasSession()).toBe(false);
    await page.getByRole("link", { name: "Sign in with your password" }).click();
    await page.getByRole("button", { name: "Sign in" }).waitFor();
  });

  it("a forged link gets a 400 page and no cookie", async () => {
    const res = await fetch(`${origin}/api/v1/auth/login-link?token=wbl_${"0".repeat(64)}`, { redirect: "manual" });
    expect(res.status).toBe(400);
    expect(await res.text()).toContain("This sign-in link is not valid");
    expect(res.headers.getSetCookie()).toEqual([]);
  });
});
