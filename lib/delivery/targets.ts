/**
 * Does a delivery's target belong to its community? A community may speak only in its own
 * spaces: a channel of its Discord guild or Slack workspace, its Twitch broadcaster's chat, and
 * to people of its community. Anything else is refused before a message is queued, so a
 * community (or a module acting for one) can never use the bot to post into another server.
 */

import { and, eq } from "drizzle-orm";
import { TtlCache } from "../cache.ts";
import type { PlatformConfig } from "../config.ts";
import { slackBotToken, type TokenEnv } from "../connections/tokens.ts";
import { createDb } from "../db/client.ts";
import { communityMembers, communityPlatforms, type Platform, userIdentities } from "../db/schema/index.ts";
import { channelGuild, isGuildMember } from "../platforms/discord.ts";
import { slackApi } from "../platforms/slack.ts";

type TargetCheck = { ok: true } | { ok: false; message: string };

// Platform answers ("channel C1 is in team T1") change rarely; five minutes spares a lookup per send.
const platformAnswers = new TtlCache<string | boolean | null>(5 * 60_000, 5_000);

/** The community's active link on a platform (guild id, broadcaster id, team id), or null. */
async function linkOf(d1: D1Database, communityId: string, platform: Platform): Promise<string | null> {
  const row = await createDb(d1)
    .select({ platformId: communityPlatforms.platformId })
    .from(communityPlatforms)
    .where(
      and(
        eq(communityPlatforms.communityId, communityId),
        eq(communityPlatforms.platform, platform),
        eq(communityPlatforms.status, "active"),
      ),
    )
    .get();
  return row?.platformId ?? null;
}

/** A platform user who is a member of the community (seen in its chat, invited, or linked). */
async function knownMember(d1: D1Database, communityId: string, platform: Platform, userId: string) {
  const row = await createDb(d1)
    .select({ userId: communityMembers.userId })
    .from(userIdentities)
    .innerJoin(communityMembers, eq(communityMembers.userId, userIdentities.userId))
    .where(
      and(
        eq(userIdentities.platform, platform),
        eq(userIdentities.platformUserId, userId),
        eq(communityMembers.communityId, communityId),
      ),
    )
    .get();
  return !!row;
}

const cached = <V extends string | boolean | null>(key: string, load: () => Promise<V>) =>
  platformAnswers.getOrLoad(key, load) as Promise<V>;

async function slackTeamOf(
  env: TokenEnv,
  communityId: string,
  method: "conversations.info" | "users.info",
  id: string,
) {
  const param = method === "users.info" ? { user: id } : { channel: id };
  try {
    // Asked with the community's own workspace token: another workspace's channel is not found.
    const token = await slackBotToken(env, { communityId });
    const body = (await slackApi(env, token, method, param, method === "users.info" ? "form" : "json")) as {
      channel?: { context_team_id?: string; shared_team_ids?: string[] };
      user?: { team_id?: string };
    };
    return body.user?.team_id ?? body.channel?.context_team_id ?? body.channel?.shared_team_ids?.[0] ?? null;
  } catch {
    // channel_not_found, user_not_found, not_in_channel: not this workspace's, as far as we can tell.
    return null;
  }
}

const REFUSED = (what: string): TargetCheck => ({ ok: false, message: `${what} does not belong to this community` });

/** A channel target: Twitch = the broadcaster itself; Discord/Slack = asked of the platform. */
export async function checkChannel(
  env: PlatformConfig & { DB: D1Database },
  communityId: string,
  platform: Platform,
  channel: string,
): Promise<TargetCheck> {
  const link = await linkOf(env.DB, communityId, platform);
  if (!link) return { ok: false, message: `This community has no active ${platform} connection` };
  if (platform === "twitch") return channel === link ? { ok: true } : REFUSED(`Twitch channel ${channel}`);
  const owner =
    platform === "discord"
      ? await cached(`discord:channel:${channel}`, () => channelGuild(env, channel))
      : await cached(`slack:channel:${channel}`, () => slackTeamOf(env, communityId, "conversations.info", channel));
  return owner === link ? { ok: true } : REFUSED(`Channel ${channel}`);
}

/**
 * A direct-message target: a member of the community on that platform, or (Discord, Slack) a
 * member of the community's guild or workspace by the platform's own answer.
 */
export async function checkUser(
  env: PlatformConfig & { DB: D1Database },
  communityId: string,
  platform: Platform,
  userId: string,
): Promise<TargetCheck> {
  const link = await linkOf(env.DB, communityId, platform);
  if (!link) return { ok: false, message: `This community has no active ${platform} connection` };
  if (await knownMember(env.DB, communityId, platform, userId)) return { ok: true };
  if (platform === "discord") {
    const member = await cached(`discord:member:${link}:${userId}`, () => isGuildMember(env, link, userId));
    if (member) return { ok: true };
  }
  if (platform === "slack") {
    const team = await cached(`slack:user:${userId}`, () => slackTeamOf(env, communityId, "users.info", userId));
    if (team === link) return { ok: true };
  }
  return REFUSED(`${platform} user ${userId}`);
}
