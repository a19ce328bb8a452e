import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { hmacSha256Hex } from "../../lib/crypto/hmac.ts";
import { unixSeconds } from "../shared/sign.ts";
import { adminApi } from "./platforms.ts";
import { openBrowser, type PortalBrowser, shoot, signIn, visit } from "./portal-support.ts";
import { proLicence } from "./workflow-support.ts";

const origin = inject("urls").router;
const vars = inject("vars");
const communityId = inject("demoCommunityId");

let browser: PortalBrowser;
let page: Page;

beforeAll(async () => {
  expect(
    (await adminApi("PUT", `/api/v1/communities/${communityId}/workflow-licence`, { token: proLicence(communityId) }))
      .status,
  ).toBe(200);
  browser = await openBrowser(origin);
  page = await browser.context.newPage();
  await page.setViewportSize({ width: 1440, height: 1000 });
}, 60_000);
afterAll(async () => browser?.close());

const node = (id: string) => page.locator(`.react-flow__node[data-id="${id}"]`);

/** Drags from one point to another with real mouse events (React Flow connects on them). */
async function dragMouse(from: { x: number; y: number }, to: { x: number; y: number }) {
  await page.mouse.move(from.x, from.y);
  await page.mouse.down();
  await page.mouse.move((from.x + to.x) / 2, (from.y + to.y) / 2, { steps: 5 });
  await page.mouse.move(to.x, to.y, { steps: 5 });
  await page.mouse.up();
}
const centre = async (selector: ReturnType<Page["locator"]>) => {
  const b = (await selector.boundingBox())!;
  return { x: b.x + b.width / 2, y: b.y + b.height / 2 };
};

describe("the workflow builder", { timeout: 60_000 }, () => {
  it("builds a workflow by drag and drop, validates live, publishes, runs it and shows the trace", async () => {
    await signIn(page, origin, vars.ADMIN_EMAIL!, vars.ADMIN_PASSWORD!);
    await visit(page, "Workflows", "Workflows");
    const name = `Browser ${crypto.randomUUID().slice(0, 6)}`;
    await page.getByLabel("New workflow").fill(name);
    await page.getByRole("button", { name: "Create" }).click();
    const canvas = page.getByTestId("wf-canvas");
    await canvas.waitFor();
    const box = (await canvas.boundingBox())!;

    await page
      .locator('[data-palette="trigger_webhook"]')
      .dragTo(canvas, { targetPosition: { x: box.width / 3, y: 60 } });
    await node("webhook1").waitFor();
    await page
      .locator('[data-palette="data_variable_set"]')
      .dragTo(canvas, { targetPosition: { x: box.width / 2, y: 330 } });
    await node("variable_set1").waitFor();

    // Live validation: the new node has no name yet, and nothing connects the two.
    await expect.poll(() => node("variable_set1").locator(".wf-node").getAttribute("data-status")).toBe("invalid");

    await dragMouse(
      await centre(node("webhook1").locator('.react-flow__handle[data-handleid="out"]')),
      await centre(node("variable_set1").locator(".react-flow__handle-top")),
    );
    await page.locator(".react-flow__edge").first().waitFor();

    await node("variable_set1").click();
    await page.getByLabel("name").fill("greeting");
    const value = page.getByLabel("value (JSON)");
    await value.fill('"hello from the builder"');
    await value.blur();
    await expect
      .poll(() => page.locator(".wf-builder [role=status]").textContent(), { timeout: 10_000 })
      .toMatch(/^Valid/);

    await page.getByRole("button", { name: "Publish" }).click();
    await expect
      .poll(() => page.locator(".wf-builder [role=status]").textContent(), { timeout: 10_000 })
      .toMatch(/Published version 1/);
    await page.getByRole("button", { name: "Run now" }).click();
    await expect
      .poll(() => page.locator(".wf-builder [role=status]").textContent(), { timeout: 20_000 })
      .toMatch(/Execution completed/);
    expect(await node("webhook1").locator(".wf-node").getAttribute("data-status")).toBe("completed");
    expect(await node("variable_set1").locator(".wf-node").getAttribute("data-status")).toBe("completed");
    await node("variable_set1").click();
    expect(await page.locator('[data-trace="output"]').textContent()).toContain("hello from the builder");
    await shoot(page, "portal-workflow-builder.png");

    // Its webhook: created in the portal (URL and secret shown once), called signed, counted, deleted.
    await page.getByRole("button", { name: "Create webhook" }).click();
    const fresh = page.getByTestId("new-webhook");
    await fresh.waitFor();
    expect(await fresh.getByRole("button", { name: "Copy secret" }).count()).toBe(1);
    const url = await fresh.getByLabel("URL").inputValue();
    const secret = await fresh.getByLabel("Secret").inputValue();
    expect(url).toMatch(/\/workflows\/webhooks\/[0-9a-f]{32}$/);
    const body = JSON.stringify({ from: "browser test" });
    const ts = unixSeconds();
    const signature = `sha256=${await hmacSha256Hex(secret, `${ts}.${body}`)}`;
    const call = () =>
      fetch(url, {
        method: "POST",
        body,
        headers: { "x-waddlebot-timestamp": ts, "x-waddlebot-signature": signature },
      });
    expect((await call()).status).toBe(202);
    await fresh.getByRole("button", { name: "Done" }).click();
    expect(await fresh.count()).toBe(0);
    const row = page.locator(`tr:has(code:text-is("${url}"))`);
    await page.reload();
    await page.getByRole("button", { name: name }).click();
    await expect.poll(() => row.locator("[data-count]").textContent(), { timeout: 10_000 }).toBe("1");
    expect(await row.textContent()).not.toContain("never");
    expect(await page.content()).not.toContain(secret);
    await row.getByRole("button", { name: /Delete/ }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Delete" }).click();
    await row.waitFor({ state: "detached" });
    expect((await call()).status).toBe(404);
  });
});
