/** Settings for the platform set-up scripts: `.dev.vars`, overridden by the environment. */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { parseEnv } from "node:util";
import type { PlatformConfig } from "../lib/config.ts";

const ROOT = path.resolve(import.meta.dirname, "..");

export async function platformEnv(): Promise<PlatformConfig & Record<string, string | undefined>> {
  let file: Record<string, string> = {};
  try {
    file = parseEnv(await readFile(path.join(ROOT, ".dev.vars"), "utf8")) as Record<string, string>;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
  }
  return { ...file, ...process.env };
}

/** `--name value` from argv. */
export function flag(args: string[], name: string): string | undefined {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : undefined;
}
