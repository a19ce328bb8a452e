/**
 * One-off platform set-up, shared by `npm run discord:register` and `npm run twitch:subscribe`
 * (scripts/), over the same configurable API bases as the workers.
 */

import type { CommandSummary } from "../commands/summary.ts";
import type { PlatformConfig } from "../config.ts";
import { registerCommands } from "./discord.ts";
import { EVENTSUB_TYPES, eventSubCondition } from "./eventsub-types.ts";
import { PlatformError } from "./http.ts";
import { createEventSubSubscription } from "./twitch.ts";

const STRING_OPTION = 3;
const CHAT_INPUT = 1;

/**
 * The slash commands: `/waddlebot command:<command and arguments>` (autocompleted from the
 * community's commands) reaches every command; each of the community's own commands is also
 * its own `/name args:<text>`. Discord allows 1–32 lowercase characters per name.
 */
function slashCommandDefinitions(communityCommands: CommandSummary[] = []) {
  const waddlebot = {
    name: "waddlebot",
    type: CHAT_INPUT,
    description: "Run a WaddleBot command, e.g. help, or so streamer",
    options: [
      {
        name: "command",
        description: "The command and its arguments",
        type: STRING_OPTION,
        required: true,
        autocomplete: true,
        max_length: 2000,
      },
    ],
  };
  const own = communityCommands
    .filter((c) => /^[-_a-z0-9]{1,32}$/.test(c.name) && c.name !== "waddlebot")
    .map((c) => ({
      name: c.name,
      type: CHAT_INPUT,
      description: (c.description || c.name).slice(0, 100),
      options: [{ name: "args", description: "Arguments", type: STRING_OPTION, required: false }],
    }));
  return [waddlebot, ...own];
}

/** Replaces the application's slash commands (in one guild when `guildId` is given). */
export async function registerDiscordCommands(
  env: PlatformConfig,
  opts: { guildId?: string; communityCommands?: CommandSummary[] } = {},
) {
  if (!env.DISCORD_APPLICATION_ID) throw new Error("DISCORD_APPLICATION_ID is not set");
  const commands = slashCommandDefinitions(opts.communityCommands);
  await registerCommands(env, env.DISCORD_APPLICATION_ID, commands, opts.guildId);
  return commands.map((c) => c.name);
}

interface SubscribeResult {
  type: string;
  status: "created" | "exists" | "failed";
  id?: string;
  error?: string;
}

/**
 * Creates every EventSub subscription WaddleBot handles for one broadcaster through Helix
 * with an app token. Twitch then calls `callback` to verify each one; the webhooks worker
 * records it as enabled then. A 409 means it already exists.
 */
export async function subscribeBroadcaster(
  env: PlatformConfig,
  broadcasterId: string,
  callback: string,
  botUserId = env.TWITCH_BOT_USER_ID,
): Promise<SubscribeResult[]> {
  if (!env.TWITCH_EVENTSUB_SECRET) throw new Error("TWITCH_EVENTSUB_SECRET is not set");
  const results: SubscribeResult[] = [];
  for (const [type, { version }] of Object.entries(EVENTSUB_TYPES)) {
    try {
      const res = (await createEventSubSubscription(env, {
        type,
        version,
        condition: eventSubCondition(type, broadcasterId, botUserId),
        callback,
        secret: env.TWITCH_EVENTSUB_SECRET,
      })) as { data?: { id?: string; status?: string }[] };
      results.push({ type, status: "created", id: res?.data?.[0]?.id });
    } catch (err) {
      if (err instanceof PlatformError && err.status === 409) results.push({ type, status: "exists" });
      else results.push({ type, status: "failed", error: (err as Error).message });
    }
  }
  return results;
}
