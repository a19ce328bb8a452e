import type { PlatformConfig } from "../config.ts";
import { slackBotToken, type TokenEnv, twitchBroadcasterAuth } from "../connections/tokens.ts";
import type { Platform } from "../db/schema/index.ts";
import { addMemberRole, removeMemberRole } from "./discord.ts";
import { PlatformError } from "./http.ts";
import { safeId } from "./ids.ts";
import { slackApi } from "./slack.ts";
import { type HelixAuth, helix } from "./twitch.ts";

/** One platform role on one platform user, in one community's space (guild, channel, workspace). */
interface RoleTarget {
  platform: Platform;
  /** Discord guild id, Twitch broadcaster id, Slack team id. */
  spaceId: string;
  /** Discord role id, Slack user group id (S…), Twitch `vip` or `moderator`. */
  roleId: string;
  platformUserId: string;
}

/**
 * Slack user groups are set as a whole list (usergroups.users.update replaces it), so a
 * change is read–modify–write. Needs usergroups:read and usergroups:write; user groups exist
 * on paid workspaces only (Slack answers `paid_teams_only`).
 * https://api.slack.com/methods/usergroups.users.update
 */
async function setSlackGroupMember(
  env: PlatformConfig,
  token: string,
  groupId: string,
  userId: string,
  present: boolean,
) {
  const list = (await slackApi(env, token, "usergroups.users.list", { usergroup: groupId })) as { users?: string[] };
  const users = new Set(list.users ?? []);
  if (users.has(userId) === present) return;
  if (present) users.add(userId);
  else users.delete(userId);
  // Slack refuses an empty group ("invalid_users"); the last member leaves by disabling it instead.
  if (users.size === 0) return void (await slackApi(env, token, "usergroups.disable", { usergroup: groupId }));
  await slackApi(env, token, "usergroups.users.update", { usergroup: groupId, users: [...users].join(",") });
}

/**
 * Twitch channel roles: Helix Add/Remove Channel VIP (channel:manage:vips) and Add/Remove
 * Channel Moderator (channel:manage:moderators), both with the broadcaster's user token.
 * https://dev.twitch.tv/docs/api/reference/#add-channel-vip
 */
async function setTwitchRole(env: PlatformConfig, auth: HelixAuth | undefined, target: RoleTarget, present: boolean) {
  const path = target.roleId === "vip" ? "/channels/vips" : "/moderation/moderators";
  safeId("twitch", target.spaceId);
  safeId("twitch", target.platformUserId);
  const q = new URLSearchParams({ broadcaster_id: target.spaceId, user_id: target.platformUserId });
  try {
    await helix(env, present ? "POST" : "DELETE", `${path}?${q}`, undefined, auth);
  } catch (err) {
    // 422: already a VIP/moderator (add) or not one (remove): the state asked for holds.
    if (err instanceof PlatformError && err.status === 422) return;
    throw err;
  }
}

/**
 * Gives (`present`) or takes back a platform role. Idempotent on every platform, so a retried
 * queue message or the nightly reconcile can call it again safely. Throws PlatformError.
 */
export async function setPlatformRole(
  env: TokenEnv,
  communityId: string,
  target: RoleTarget,
  present: boolean,
): Promise<void> {
  // The community's own tokens: Slack's workspace token, Twitch's broadcaster token (VIPs and
  // moderators are the broadcaster's to change). Discord bots are one account in every guild.
  const creds = env;
  const reason = "WaddleBot entity group (label)";
  switch (target.platform) {
    case "discord":
      return present
        ? void (await addMemberRole(creds, target.spaceId, target.platformUserId, target.roleId, reason))
        : void (await removeMemberRole(creds, target.spaceId, target.platformUserId, target.roleId, reason));
    case "slack":
      return setSlackGroupMember(
        creds,
        await slackBotToken(env, { communityId }),
        target.roleId,
        target.platformUserId,
        present,
      );
    case "twitch":
      if (target.roleId !== "vip" && target.roleId !== "moderator") {
        throw new PlatformError("twitch", 400, `Twitch has no grantable role "${target.roleId}"`);
      }
      return setTwitchRole(creds, (await twitchBroadcasterAuth(env, { communityId })) ?? undefined, target, present);
  }
}
