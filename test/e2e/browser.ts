/**
 * A real headless Chromium for the end-to-end tests: Debian's `chromium` package driven by
 * playwright-core (`.ci/run` installs it on a fresh machine). Each launch gets a throwaway
 * profile directory; playwright refuses `--user-data-dir` in args, so it is the first argument.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { type BrowserContext, chromium } from "playwright-core";

export function chromiumPath(): string {
  const found = execFileSync("sh", ["-c", "command -v chromium || command -v chromium-browser || true"])
    .toString()
    .trim();
  if (!found) throw new Error("chromium is not installed: apt-get install -y --no-install-recommends chromium");
  return found;
}

export async function launchChromium(): Promise<{ context: BrowserContext; close(): Promise<void> }> {
  const profile = mkdtempSync(path.join(tmpdir(), "waddlebot-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath(),
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/**
 * Where screenshots go: `docs/` when `npm run screenshots` asks for them
 * (WADDLEBOT_SCREENSHOTS=docs), otherwise a throwaway folder — so `npm test` takes them (the
 * code path stays tested) without changing files in the repository.
 */
export const SCREENSHOTS_DIR =
  process.env.WADDLEBOT_SCREENSHOTS === "docs"
    ? path.resolve(import.meta.dirname, "../../docs")
    : mkdtempSync(path.join(tmpdir(), "waddlebot-shots-"));
