/**
 * A real headless Chromium for the end-to-end tests, driven by playwright-core. The system's
 * `chromium` (Debian's package) when there is one; otherwise the build that ships inside the
 * `@sparticuz/chromium` npm package, so `npm install && npm test` needs no apt step. Each
 * launch gets a throwaway profile directory; playwright refuses `--user-data-dir` in args, so
 * it is the first argument.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import sparticuz from "@sparticuz/chromium";
import { type BrowserContext, chromium } from "playwright-core";

const ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** Where the npm build is unpacked: inside node_modules, so it goes with `rm -rf node_modules`. */
const NPM_CHROMIUM_DIR = path.resolve(import.meta.dirname, "../../node_modules/.cache/waddlebot-chromium");

function systemChromium(): string | null {
  const found = execFileSync("sh", ["-c", "command -v chromium || command -v chromium-browser || true"])
    .toString()
    .trim();
  return found || null;
}

/**
 * Unpacks the npm build once. The package unpacks into `os.tmpdir()` and trusts any file it
 * finds there, so a half-written binary from a parallel run would be launched: it is unpacked
 * into a private folder first and renamed into place (atomic), which parallel runs can share.
 */
async function npmChromium(): Promise<string> {
  const binary = path.join(NPM_CHROMIUM_DIR, "chromium");
  if (existsSync(binary)) return binary;
  mkdirSync(path.dirname(NPM_CHROMIUM_DIR), { recursive: true });
  const staging = mkdtempSync(`${NPM_CHROMIUM_DIR}-`);
  const previous = process.env.TMPDIR;
  process.env.TMPDIR = staging; // os.tmpdir() reads it on every call
  try {
    await sparticuz.executablePath();
  } finally {
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
  }
  try {
    renameSync(staging, NPM_CHROMIUM_DIR);
  } catch {
    rmSync(staging, { recursive: true, force: true }); // another run got there first
  }
  return binary;
}

/** The Chromium binary to drive: the system's, else the npm build (unpacked on first use). */
export async function chromiumPath(): Promise<string> {
  return systemChromium() ?? (await npmChromium());
}

export async function launchChromium(): Promise<{ context: BrowserContext; close(): Promise<void> }> {
  const profile = mkdtempSync(path.join(tmpdir(), "waddlebot-chromium-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: await chromiumPath(),
    headless: true,
    args: ARGS,
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
