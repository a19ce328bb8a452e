import { mkdirSync } from "node:fs";
import path from "node:path";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { launchChromium, SCREENSHOTS_DIR } from "./browser.ts";

const urls = inject("urls");
const communityId = inject("demoCommunityId");
const authorization = `Bearer ${inject("adminApiKey")}`;
const DOCS = SCREENSHOTS_DIR;

type Source = { type: "ticker" | "media" | "general"; url: string };

const api = async (method: string, pathname: string, body?: unknown) => {
  const res = await fetch(`${urls.router}/api/v1/communities/${communityId}${pathname}`, {
    method,
    headers: { authorization, ...(body === undefined ? {} : { "content-type": "application/json" }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  expect(res.status, `${method} ${pathname}`).toBeLessThan(300);
  return ((await res.json()) as { data: unknown }).data;
};
const publish = (type: Source["type"], body: unknown) => api("POST", `/overlays/${type}/messages`, body);
const sources = async () => (await api("GET", "/overlays")) as Source[];
const urlOf = async (type: Source["type"]) => (await sources()).find((s) => s.type === type)!.url;

let browser: Awaited<ReturnType<typeof launchChromium>>;
let context: BrowserContext;

beforeAll(async () => {
  browser = await launchChromium();
  context = browser.context;
  mkdirSync(DOCS, { recursive: true });
}, 60_000);
afterAll(async () => browser?.close());

/** Opens an overlay page at its OBS size and waits for its socket to be live. */
async function open(url: string, width: number, height: number): Promise<Page> {
  const page = await context.newPage();
  await page.setViewportSize({ width, height });
  const res = await page.goto(url);
  expect(res?.status()).toBe(200);
  await page.locator('body[data-state="live"]').waitFor();
  return page;
}

/** The overlay is transparent: screenshot it over a checkerboard, as OBS would composite it. */
async function screenshot(page: Page, name: string) {
  await page.evaluate(() => {
    document.documentElement.style.background =
      "repeating-conic-gradient(#2b2f3d 0% 25%, #1c1f29 0% 50%) 0 0 / 48px 48px";
  });
  await page.screenshot({ path: path.join(DOCS, name) });
  await page.evaluate(() => document.documentElement.style.removeProperty("background"));
}

describe("OBS overlay pages in a real Chromium", { timeout: 60_000 }, () => {
  it("the ticker page shows published messages one after another, transparent", async () => {
    const page = await open(await urlOf("ticker"), 1920, 120);
    expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe("rgba(0, 0, 0, 0)");
    await publish("ticker", { text: "Penguin just followed!", kind: "follow", durationMs: 1500 });
    await publish("ticker", { text: "Welcome to the stream, everyone!", durationMs: 2000 });
    await page.locator(".ticker-item.shown", { hasText: "Penguin just followed!" }).waitFor();
    // The second waits its turn, then replaces the first.
    await page.locator(".ticker-item.shown", { hasText: "Welcome to the stream" }).waitFor();
    expect(await page.locator(".ticker-item").count()).toBe(1);
    await publish("ticker", { text: "Penguin is raiding with 42 viewers!", kind: "raid", durationMs: 8000 });
    await page.locator(".ticker-item.shown", { hasText: "raiding" }).waitFor({ timeout: 20_000 });
    await page.waitForTimeout(500); // let the entrance animation settle for the picture
    await screenshot(page, "overlay-ticker.png");
    await page.close();
  });

  it("the media page shows a now-playing card with a running progress bar", async () => {
    const page = await open(await urlOf("media"), 1920, 1080);
    await publish("media", {
      title: "Waddle All Night",
      artist: "The Penguins",
      album: "Ice Floe Sessions",
      durationMs: 215_000,
      positionMs: 64_000,
    });
    await page.locator("#media.shown").waitFor();
    expect(await page.locator("#media-title").textContent()).toBe("Waddle All Night");
    expect(await page.locator("#media-artist").textContent()).toBe("The Penguins \u2014 Ice Floe Sessions");
    await expect.poll(() => page.locator("#media-pos").textContent()).toMatch(/^1:0\d$/);
    await page.waitForTimeout(600);
    await screenshot(page, "overlay-media.png");
    await page.close();
  });

  it("the general page shows sanitised HTML, and a <script> in the content never runs", async () => {
    const page = await open(await urlOf("general"), 1920, 1080);
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await publish("general", {
      title: "Giveaway tonight",
      html:
        "<p>Type <strong>!enter</strong> in chat to join. Winner drawn at <em>10pm</em>.</p>" +
        "<script>window.__pwned = 'script'</script>" +
        '<img src="x" onerror="window.__pwned = \'onerror\'">' +
        "<ul><li>One entry per person</li><li>Must be following</li></ul>" +
        "<a href=\"javascript:window.__pwned='link'\">click</a>",
    });
    await page.locator("#general.shown").waitFor();
    expect(await page.locator("#general-title").textContent()).toBe("Giveaway tonight");
    expect(await page.locator("#general-body").textContent()).toContain("Type !enter in chat to join.");
    expect(await page.locator("#general-body script").count()).toBe(0);
    expect(await page.locator("#general-body [onerror]").count()).toBe(0);
    expect(await page.locator("#general-body a").getAttribute("href")).toBeNull();
    await page.locator("#general-body a").click();
    expect(await page.evaluate(() => (window as unknown as { __pwned?: string }).__pwned)).toBeUndefined();
    expect(errors).toEqual([]);
    // For the README: a typical announcement.
    await publish("general", {
      title: "Giveaway tonight",
      html:
        "<p>Type <strong>!enter</strong> in chat to join. The winner is drawn at <mark>10pm</mark>.</p>" +
        "<ul><li>One entry per person</li><li>Must be following the channel</li></ul>",
    });
    await page.locator("#general-body li", { hasText: "the channel" }).waitFor();
    await page.waitForTimeout(600);
    await screenshot(page, "overlay-general.png");
    await page.close();
  });

  it("survives the server closing its socket and shows what was published while it was away", async () => {
    const page = await context.newPage();
    // The page's clock is paused once it is live, so its reconnect (a backoff timer) waits until
    // the test lets time run: the next message is certainly published while the page is away.
    await page.clock.install();
    await page.setViewportSize({ width: 1920, height: 120 });
    await page.goto(await urlOf("ticker"));
    await page.locator('body[data-state="live"]').waitFor();
    await page.clock.pauseAt(Date.now() + 1_000);
    const seqBefore = Number(await page.locator("body").getAttribute("data-last-seq"));

    expect(await api("POST", "/overlays/clients/disconnect", { type: "ticker" })).toMatchObject({
      disconnected: expect.any(Number),
    });
    await page.locator('body[data-state="reconnecting"]').waitFor();
    expect(await page.locator("body").getAttribute("data-last-close")).toBe("1012");
    const text = "Published while you were away";
    const published = (await publish("ticker", { text, durationMs: 5000 })) as { seq: number };
    expect(published.seq).toBeGreaterThan(seqBefore);
    expect(await page.locator(".ticker-item", { hasText: text }).count()).toBe(0);

    await page.clock.runFor(20_000); // the backoff elapses; the page reconnects with ?since
    await page.locator(".ticker-item", { hasText: text }).waitFor();
    expect(await page.locator("body").getAttribute("data-state")).toBe("live");
    expect(Number(await page.locator("body").getAttribute("data-last-seq"))).toBeGreaterThanOrEqual(published.seq);
    await page.close();
  });

  it("after a rotation without grace, the old URL stops working and the new one works", async () => {
    const oldUrl = await urlOf("general");
    const page = await open(oldUrl, 1920, 1080);
    const rotated = (await api("POST", "/overlays/general/rotate", { graceSeconds: 0 })) as { url: string };
    // The open page is told its URL is gone (close 4001) and stops.
    await page.locator('body[data-state="revoked"]').waitFor();
    expect(await page.locator("body").getAttribute("data-last-close")).toBe("4001");
    const stale = await context.newPage();
    expect((await stale.goto(oldUrl))?.status()).toBe(404);
    const fresh = await open(rotated.url, 1920, 1080);
    // The new URL shows the current content straight away.
    await fresh.locator("#general.shown").waitFor();
    await Promise.all([page.close(), stale.close(), fresh.close()]);
  });
});
