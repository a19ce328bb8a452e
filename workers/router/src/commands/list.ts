import type { PermissionLevel } from "../../../../lib/chat/permission-level.ts";
import { resolveCommunity } from "../../../../lib/communities/resolve.ts";
import type { CommandSummary, CommunityPlatformRef } from "../../../../lib/rpc.ts";
import type { Env } from "../env.ts";
import { getRouterConfig } from "../router-config.ts";
import { visibleCommands } from "./registry.ts";

interface ListedCommand {
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
  const config = await getRouterConfig(env, communityId);
  return visibleCommands(config.commands, level, channelId).map((c) => ({
    prefix: c.prefix,
    name: c.name,
    description: c.description,
    minLevel: c.minLevel,
  }));
}

/**
 * The `!` commands of the community linked to a platform space, for Discord autocomplete and
 * slash-command registration (RPC `listCommands`). Every enabled command is listed: running
 * one still checks the caller's level.
 */
export async function listCommands(env: Env, community: CommunityPlatformRef): Promise<CommandSummary[]> {
  const resolved = await resolveCommunity(env.DB, community.platform, community.platformId);
  if (!resolved) return [];
  const listed = await listCommandsFor(env, resolved.id, "owner");
  return listed.filter((c) => c.prefix === "!").map((c) => ({ name: c.name, description: c.description }));
}
