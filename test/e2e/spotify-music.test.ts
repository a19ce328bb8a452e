/**
 * The spotify module end to end, the way `npm start` runs it, against the local fake Spotify: an
 * admin connects Spotify on the portal's Music page (PKCE through the real callback) at phone
 * width; chat's !song and !sr arrive as signed Slack events; the media overlay page shows now
 * playing in Chromium; a moderator clears the requests and skips from the page, and the overlay
 * follows through the ModuleScheduler's poll.
 */
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { fakeSpotify } from "../shared/fake-spotify-control.ts";
import { invitedAccount } from "./accounts.ts";
import { slackSays as say } from "./chat-says.ts";
import { adminApi, fakeUrl } from "./platforms.ts";
import { DESKTOP, expectFitsAndAccessible, PHONE } from "./portal-a11y.ts";
import { openBrowser, type PortalBrowser, shoot, signIn } from "./portal-support.ts";

const urls = inject("urls");
const vars = inject("vars");
const community = inject("demoCommunityId");
const origin = urls.router;
const spotify = fakeSpotify(fakeUrl);
const tag = crypto.randomUUID().slice(0, 6);
/** One member throughout: the per-person request limit counts their requests. */
const slackSays = (text: string) => say(text, { user: "U0SPOTIFY" });
// A 1×1 PNG stands in for Spotify's album art CDN: nothing leaves the machine.
const ART = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==",
  "base64",
);

let browser: PortalBrowser;
let music: Page;
let overlay: Page;

beforeAll(async () => {
  browser = await openBrowser(origin);
  await browser.context.route("https://i.scdn.co/**", (route) =>
    route.fulfill({ status: 200, contentType: "image/png", body: ART }),
  );
  music = await browser.context.newPage();
}, 60_000);
afterAll(async () => browser?.close());

/** The Music page at phone width (the navigation folds away on a phone, so by its URL). */
async function openMusic() {
  await music.setViewportSize(PHONE);
  await music.goto(`${origin}/#/music`);
  // Only the hash may have changed: load the page afresh, as a person coming back would.
  await music.reload();
  await music.getByRole("heading", { level: 1, name: "Music" }).waitFor();
  await expect.poll(() => music.locator(".loading").count()).toBe(0);
}

describe("Spotify end to end", { timeout: 60_000 }, () => {
  it("an admin connects Spotify on the Music page; !song and !sr by Slack; now playing on the media overlay", async () => {
    await music.setViewportSize(DESKTOP);
    await signIn(music, origin, vars.ADMIN_EMAIL!, vars.ADMIN_PASSWORD!);
    await openMusic();
    await music.getByRole("button", { name: "Connect Spotify" }).click();
    // Spotify (the fake) → /connect/spotify/callback → back here.
    await music.getByRole("status").filter({ hasText: "Spotify connected." }).waitFor();
    await music.locator('[data-spotify-status="active"]').waitFor();
    await expectFitsAndAccessible(music, "Music (admin, phone)");

    const view = await adminApi("GET", `/api/v1/communities/${community}/music`);
    const listener = (view.body.data as { spotify: { account: { id: string } } }).spotify.account.id;
    await spotify.play(listener, {
      title: `Waddle Anthem ${tag}`,
      artist: "The Penguins",
      album: "Ice",
      durationMs: 210_000,
      progressMs: 5_000,
    });

    const sources = (await adminApi("GET", `/api/v1/communities/${community}/overlays`)).body.data as {
      type: string;
      url: string;
    }[];
    overlay = await browser.context.newPage();
    await overlay.setViewportSize({ width: 1280, height: 720 });
    await overlay.goto(sources.find((s) => s.type === "media")!.url);
    await overlay.locator('body[data-state="live"]').waitFor();

    expect(await slackSays("!song")).toBe(`Now playing: Waddle Anthem ${tag} — The Penguins (0:05 / 3:30)`);
    await expect.poll(() => overlay.locator("#media-title").textContent()).toBe(`Waddle Anthem ${tag}`);
    expect(await overlay.locator("#media-artist").textContent()).toBe("The Penguins \u2014 Ice");
    expect(await overlay.locator("#media-art").getAttribute("src")).toMatch(/^https:\/\/i\.scdn\.co\/image\//);

    expect(await slackSays(`!sr Glacier ${tag}`)).toMatch(
      new RegExp(`^Queued: Glacier ${tag} — Fake Artist \\(requested by .+\\)$`),
    );
    // (Slack's text escapes < and >.)
    expect(await slackSays("!sr")).toBe("Usage: !sr &lt;song name&gt;");
    await openMusic();
    await music.locator('[data-list="spotify-requests"] li', { hasText: `Glacier ${tag}` }).waitFor();
    expect(await music.locator("[data-now-playing]").textContent()).toContain(`Waddle Anthem ${tag}`);
  });

  it("a moderator sees the requests, clears them and skips; the overlay follows by the poll", async () => {
    await browser.context.clearCookies();
    const { email, password } = await invitedAccount("moderator");
    await music.setViewportSize(DESKTOP);
    await signIn(music, origin, email, password);
    expect(await slackSays(`!sr Floe ${tag}`)).toMatch(/^Queued: Floe /);
    await openMusic();
    await music.locator('[data-list="spotify-requests"] li', { hasText: `Floe ${tag}` }).waitFor();
    // Connecting is an admin's; skip and clear are a moderator's.
    expect(await music.getByRole("button", { name: /Connect/ }).count()).toBe(0);
    await expectFitsAndAccessible(music, "Music (moderator, phone)");
    await shoot(music, "portal-music-phone.png");

    await music.getByRole("button", { name: "Clear requests" }).click();
    await music.getByText(/^Cleared \d+ song requests\.$/).waitFor();
    await music.getByText("No requests waiting: chat asks with !sr song name.").waitFor();
    await music.getByRole("button", { name: "Skip song" }).click();
    await music.getByText("Skipped to the next song.").first().waitFor();
    // Glacier was next in Spotify's queue: the scheduler's poll sees it and the overlay shows it.
    await expect
      .poll(() => overlay.locator("#media-title").textContent(), { timeout: 15_000, interval: 200 })
      .toBe(`Glacier ${tag}`);
    // Album art is asked of Spotify's CDN, answered in the browser by the route above.
    expect(browser.offMachine.filter((u) => !u.startsWith("https://i.scdn.co/"))).toEqual([]);
  });
});
