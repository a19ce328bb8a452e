import { and, desc, eq, gt, sql } from "drizzle-orm";
import type { Database } from "../../../../lib/db/client.ts";
import { communityMembers, userIdentities, users } from "../../../../lib/db/schema/index.ts";
import { bareName, dry, type FirstPartyModule, label, parseIntIn, say } from "../kit.ts";
import { manifest } from "./manifest.ts";

const MAX_GIVE = 1_000_000;

const currencyOf = (settings: Record<string, unknown>) =>
  typeof settings.currency === "string" && settings.currency.trim() ? settings.currency.trim() : "points";

/** The user behind a platform account (linked identities share one), or null. */
async function userByPlatformId(db: Database, platform: string, platformUserId: string) {
  const row = await db
    .select({ userId: userIdentities.userId })
    .from(userIdentities)
    .where(and(eq(userIdentities.platform, platform as never), eq(userIdentities.platformUserId, platformUserId)))
    .get();
  return row?.userId ?? null;
}

/** A member of this community by their username on this platform, or null. */
async function memberByName(db: Database, communityId: string, platform: string, username: string) {
  const row = await db
    .select({ userId: userIdentities.userId, username: userIdentities.username })
    .from(userIdentities)
    .innerJoin(
      communityMembers,
      and(eq(communityMembers.userId, userIdentities.userId), eq(communityMembers.communityId, communityId)),
    )
    .where(
      and(eq(userIdentities.platform, platform as never), sql`lower(${userIdentities.username}) = lower(${username})`),
    )
    .get();
  return row ?? null;
}

async function balance(db: Database, communityId: string, userId: string | null) {
  if (!userId) return 0;
  const row = await db
    .select({ points: communityMembers.points })
    .from(communityMembers)
    .where(and(eq(communityMembers.communityId, communityId), eq(communityMembers.userId, userId)))
    .get();
  return row?.points ?? 0;
}

/** The community's leaderboard: members with points, highest first. */
export async function leaderboard(db: Database, communityId: string, limit: number) {
  return db
    .select({ userId: users.id, name: users.displayName, points: communityMembers.points })
    .from(communityMembers)
    .innerJoin(users, eq(users.id, communityMembers.userId))
    .where(and(eq(communityMembers.communityId, communityId), gt(communityMembers.points, 0)))
    .orderBy(desc(communityMembers.points), users.displayName)
    .limit(limit);
}

/**
 * Moves points in one statement, so a balance can never go below zero and no concurrent `!give`
 * spends the same points twice: both rows change only if the giver still has `amount`. The
 * ledger row is written in the same transaction only when both changed.
 */
async function transfer(d1: D1Database, communityId: string, from: string, to: string, amount: number) {
  const [moved] = await d1.batch([
    d1
      .prepare(
        `UPDATE community_members SET points = points + CASE WHEN user_id = ?2 THEN -?4 ELSE ?4 END
         WHERE community_id = ?1 AND user_id IN (?2, ?3)
           AND (SELECT points FROM community_members WHERE community_id = ?1 AND user_id = ?2) >= ?4`,
      )
      .bind(communityId, from, to, amount),
    d1
      .prepare(
        `INSERT INTO loyalty_transfers (id, community_id, from_user_id, to_user_id, amount, created_at)
         SELECT ?1, ?2, ?3, ?4, ?5, ?6 WHERE changes() = 2`,
      )
      .bind(crypto.randomUUID(), communityId, from, to, amount, Date.now()),
  ]);
  return (moved?.meta.changes ?? 0) === 2;
}

export const loyalty: FirstPartyModule = {
  manifest,
  async command({ env, db, call }) {
    const cmd = call.command!;
    const currency = currencyOf(call.settings);
    if (cmd.name === "points") {
      if (cmd.args.length > 1) return say(call, `Usage: ${label(call)} [@user]`);
      if (cmd.args[0]) {
        const member = await memberByName(db, call.communityId, call.platform, bareName(cmd.args[0]));
        if (!member) return say(call, `${bareName(cmd.args[0])} has no ${currency} here yet.`);
        return say(call, `${member.username} has ${await balance(db, call.communityId, member.userId)} ${currency}.`);
      }
      const me = await userByPlatformId(db, call.platform, call.user.id);
      return say(
        call,
        `${call.user.displayName || call.user.username}, you have ${await balance(db, call.communityId, me)} ${currency}.`,
      );
    }
    if (cmd.name === "top") {
      if (cmd.args.length > 0) return say(call, `Usage: ${label(call)}`);
      const rows = await leaderboard(db, call.communityId, 5);
      if (rows.length === 0) return say(call, `Nobody has ${currency} yet.`);
      return say(call, `Top ${currency}: ${rows.map((r, i) => `${i + 1}. ${r.name} (${r.points})`).join(", ")}`);
    }
    // !give @user <amount>
    const amount = parseIntIn(cmd.args[1], 1, MAX_GIVE);
    if (cmd.args.length !== 2 || amount === null || !/^[0-9]+$/.test(cmd.args[1]!))
      return say(call, `Usage: ${label(call)} @user <amount from 1 to ${MAX_GIVE}>`);
    const target = await memberByName(db, call.communityId, call.platform, bareName(cmd.args[0]!));
    if (!target) return say(call, `${bareName(cmd.args[0]!)} is not a member here.`);
    const me = await userByPlatformId(db, call.platform, call.user.id);
    if (me && me === target.userId) return say(call, `You cannot give ${currency} to yourself.`);
    if (call.simulated) return dry(call);
    if (!me || !(await transfer(env.DB, call.communityId, me, target.userId, amount)))
      return say(call, `You do not have ${amount} ${currency} (you have ${await balance(db, call.communityId, me)}).`);
    return say(
      call,
      `${call.user.displayName || call.user.username} gave ${amount} ${currency} to ${target.username}.`,
    );
  },
};
