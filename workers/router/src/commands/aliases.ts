import { released } from "../../../../lib/rpc.ts";
import type { Env } from "../env.ts";
import type { RouterConfig } from "../router-config.ts";
import { type ParsedCommand, parseCommand } from "./parse.ts";

/** Per cached config: does the community have the alias module installed (and enabled)? */
const hasAliases = new WeakMap<RouterConfig, boolean>();

function aliasModuleInstalled(config: RouterConfig): boolean {
  let yes = hasAliases.get(config);
  if (yes === undefined) {
    yes = [...config.commands.values()].some((c) => c.module?.name === "alias" && c.module.engine === "builtin");
    hasAliases.set(config, yes);
  }
  return yes;
}

/**
 * `!so foo` where `so` is no command but an alias of the alias module: its expansion, parsed.
 * Only `!` commands are aliased, only when the module is installed (so an unknown command in a
 * community without it costs nothing), and the caller runs the result with expansion off.
 */
export async function expandAlias(
  env: Env,
  config: RouterConfig,
  parsed: ParsedCommand,
): Promise<ParsedCommand | null> {
  if (parsed.prefix !== "!" || !env.MODULES || !aliasModuleInstalled(config)) return null;
  try {
    const text = released(await env.MODULES.expandAlias(config.communityId, parsed.name, parsed.rawArgs));
    return text ? parseCommand(text) : null;
  } catch {
    return null;
  }
}
