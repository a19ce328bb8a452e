/**
 * `npm run discord:register -- [--guild <guild id>] [--commands <file.json>]`
 *
 * Registers WaddleBot's slash commands with Discord: `/waddlebot` globally (or in one guild,
 * which shows at once, handy while developing), plus the community's own commands listed in
 * a JSON file of `[{ "name": "...", "description": "..." }]`. Uses DISCORD_APPLICATION_ID,
 * DISCORD_BOT_TOKEN and DISCORD_API_BASE from the environment or `.dev.vars`.
 */
import { readFile } from "node:fs/promises";
import type { CommandSummary } from "../lib/commands/summary.ts";
import { registerDiscordCommands } from "../lib/platforms/setup.ts";
import { flag, platformEnv } from "./platform-env.ts";

const args = process.argv.slice(2);
const guildId = flag(args, "guild");
const file = flag(args, "commands");
const communityCommands = file ? (JSON.parse(await readFile(file, "utf8")) as CommandSummary[]) : [];

try {
  const names = await registerDiscordCommands(await platformEnv(), { guildId, communityCommands });
  console.log(`Registered ${names.map((n) => `/${n}`).join(", ")} ${guildId ? `in guild ${guildId}` : "globally"}.`);
} catch (err) {
  console.error(`Registration failed: ${(err as Error).message}`);
  process.exit(1);
}
