import type { CommandSummary, CommunityPlatformRef } from "../../../lib/rpc.ts";
import type { Env } from "./env.ts";

// Placeholder until the router's command registry lands: the built-ins events.ts answers.
const BUILTIN_COMMANDS: CommandSummary[] = [
  { name: "help", description: "List the commands" },
  { name: "ping", description: "Check that the bot is alive" },
];

/**
 * The commands a community can run, for Discord autocomplete and command registration.
 * Built-ins only for now; the command registry replaces the internals, not the signature.
 */
export async function listCommands(_env: Env, _community: CommunityPlatformRef): Promise<CommandSummary[]> {
  return BUILTIN_COMMANDS;
}
