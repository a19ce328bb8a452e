import { and, eq, sql } from "drizzle-orm";
import { createDb } from "../../../../lib/db/client.ts";
import { type Platform, userIdentities } from "../../../../lib/db/schema/index.ts";
import { helix } from "../../../../lib/platforms/twitch.ts";
import type { Env } from "../env.ts";

export const PLATFORM_LABEL: Record<Platform, string> = { discord: "Discord", twitch: "Twitch", slack: "Slack" };

type Resolved = { ok: true; platformUserId: string; username: string } | { ok: false; message: string };

const ID_PATTERN: Record<Exclude<Platform, "twitch">, RegExp> = {
  discord: /^\d{17,20}$/,
  slack: /^[UW][A-Z0-9]{6,}$/,
};

/**
 * Turns "the username on the other platform" into a platform user id the bot can message.
 * Twitch answers `GET /helix/users?login=`. Discord and Slack bots cannot search users by
 * name, so we use the people the bot has already seen (user_identities rows made by
 * ensurePlatformUser), and otherwise accept a raw user id or a mention (`<@123>`).
 */
export async function resolveTarget(env: Env, platform: Platform, input: string): Promise<Resolved> {
  const label = PLATFORM_LABEL[platform];
  const value = input
    .trim()
    .replace(/^<@!?([A-Z0-9]+)(\|[^>]*)?>$/i, "$1")
    .replace(/^@/, "");
  if (!value || value.length > 100) return { ok: false, message: `Give the ${label} username to link.` };

  if (platform === "twitch") {
    if (!/^[a-z0-9_]{1,25}$/i.test(value)) return { ok: false, message: `"${value}" is not a Twitch login.` };
    const body = (await helix(env, "GET", `/users?login=${encodeURIComponent(value.toLowerCase())}`)) as {
      data?: { id: string; login: string }[];
    };
    const user = body.data?.[0];
    if (!user) return { ok: false, message: `There is no Twitch user called ${value}.` };
    return { ok: true, platformUserId: user.id, username: user.login };
  }

  const rows = await createDb(env.DB)
    .select({ platformUserId: userIdentities.platformUserId, username: userIdentities.username })
    .from(userIdentities)
    .where(
      and(
        eq(userIdentities.platform, platform),
        sql`(${userIdentities.platformUserId} = ${value} OR lower(${userIdentities.username}) = lower(${value}))`,
      ),
    )
    .limit(2);
  if (rows.length === 1) return { ok: true, ...rows[0]! };
  if (rows.length > 1) {
    return { ok: false, message: `Several ${label} users are called ${value}: use their ${label} user id.` };
  }
  if (ID_PATTERN[platform].test(value)) return { ok: true, platformUserId: value, username: value };
  return {
    ok: false,
    message: `I have not seen ${value} on ${label} yet. Say something where WaddleBot can see it on ${label}, or use your ${label} user id.`,
  };
}
