/**
 * Helpers for the portal's browser tests: one Chromium per test file, sign-in through the
 * real login form, screenshots into docs/, and a guard that no request leaves the machine.
 */
import { mkdirSync } from "node:fs";
import path from "node:path";
import type { BrowserContext, Page } from "playwright-core";
import { expect } from "vitest";
import { launchChromium, SCREENSHOTS_DIR } from "./browser.ts";

export const DOCS = SCREENSHOTS_DIR;

export interface PortalBrowser {
  context: BrowserContext;
  /** Every URL the browser asked for that is not on this machine (should stay empty). */
  offMachine: string[];
  /** Every Content-Security-Policy violation any page or frame reported (should stay empty). */
  cspViolations: string[];
  close(): Promise<void>;
}

export async function openBrowser(origin: string): Promise<PortalBrowser> {
  const browser = await launchChromium();
  await browser.context.grantPermissions(["clipboard-read", "clipboard-write"], { origin });
  const offMachine: string[] = [];
  browser.context.on("request", (req) => {
    const url = new URL(req.url());
    if (!["127.0.0.1", "localhost"].includes(url.hostname) && !["data:", "blob:", "about:"].includes(url.protocol)) {
      offMachine.push(req.url());
    }
  });
  const cspViolations: string[] = [];
  browser.context.on("console", (message) => {
    if (/Content Security Policy/i.test(message.text())) cspViolations.push(message.text());
  });
  mkdirSync(DOCS, { recursive: true });
  return { context: browser.context, offMachine, cspViolations, close: browser.close };
}

/** Signs in through the login form, as a person would, and waits for the navigation. */
export async function signIn(page: Page, origin: string, email: string, password: string) {
  await page.goto(`${origin}/`);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("navigation", { name: "Pages" }).waitFor();
}

/** Goes to a portal page by its nav link and waits for its heading. */
export async function visit(page: Page, link: string, heading: string | RegExp) {
  await page.getByRole("navigation", { name: "Pages" }).getByRole("link", { name: link, exact: true }).click();
  await page.getByRole("heading", { level: 1, name: heading }).waitFor();
  // Some pages load per item (Installed modules: two requests per module): allow a loaded machine.
  await expect.poll(() => page.locator(".loading").count(), { timeout: 10_000 }).toBe(0);
}

export const shoot = (page: Page, name: string) => page.screenshot({ path: path.join(DOCS, name), fullPage: true });
