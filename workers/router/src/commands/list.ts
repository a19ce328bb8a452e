import type { PermissionLevel } from "../../../../lib/chat/permission-level.ts";
import type { Env } from "../env.ts";
import { getRouterConfig } from "../router-config.ts";
import { visibleCommands } from "./registry.ts";

export interface ListedCommand {
  prefix: "!" | "#";
  name: string;
  description: string;
  minLevel: PermissionLevel;
}

/**
 * A community's commands a caller of `level` may run (in `channelId`, when given), from the
 * cached registry — for !help, Discord autocomplete and the portal.
 */
export async function listCommandsFor(
  env: Env,
  communityId: string,
  level: PermissionLevel,
  channelId?: string,
): Promise<ListedCommand[]> {
  const config = await getRouterConfig(env.DB, communityId);
  return visibleCommands(config.commands, level, channelId).map((c) => ({
    prefix: c.prefix,
    name: c.name,
    description: c.description,
    minLevel: c.minLevel,
  }));
}
