/**
 * What every portal page must hold in a real Chromium: no wider than the window (phones
 * included, with long real content) and no axe-core WCAG 2 A/AA violation (labels, contrast,
 * roles). axe runs through `page.evaluate`, which the portal's CSP does not block.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { Page } from "playwright-core";
import { expect } from "vitest";

const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

export const PHONE = { width: 390, height: 844 };
export const DESKTOP = { width: 1440, height: 900 };

/** How far the page is wider than its window (0 when it fits). */
export const overflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

/** The elements wider than the window, to say which one broke the layout. */
export const widest = (page: Page) =>
  page.evaluate(() =>
    Array.from(document.querySelectorAll("main *"))
      .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 1)
      .slice(0, 5)
      .map((el) => `${el.tagName.toLowerCase()}.${el.className}`),
  );

/** axe-core's WCAG 2 A and AA violations on the page as it is now: rule id and the elements. */
export async function axeViolations(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => "axe" in window))) await page.evaluate(axeSource);
  const found = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(ctx: Document, opts: unknown): Promise<AxeResult> } }).axe;
    type AxeResult = { violations: { id: string; nodes: { target: string[] }[] }[] };
    const result = await axe.run(document, { runOnly: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] });
    return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  });
  return found;
}

/** Both checks, with the page's name in the failure. */
export async function expectFitsAndAccessible(page: Page, name: string) {
  expect(await overflow(page), `${name} is wider than the window: ${await widest(page)}`).toBeLessThanOrEqual(0);
  expect(await axeViolations(page), name).toEqual([]);
}
