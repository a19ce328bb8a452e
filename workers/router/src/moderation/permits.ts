import { and, eq, gt, inArray, isNull, or, sql } from "drizzle-orm";
import { createDb } from "../../../../lib/db/client.ts";
import { auditLog, moderationPermits } from "../../../../lib/db/schema/index.ts";
import type { BotReply } from "../../../../lib/events/chat-event.ts";
import type { Builtin } from "../commands/builtins.ts";
import type { LiveEvent, RoutedEvent } from "../events/routed-event.ts";
import type { CompiledRule } from "../router-config.ts";

/** A links filter's permit window when the rule sets none (seconds). */
export const PERMIT_DEFAULT_SEC = 60;
/** The longest window a moderator may give: a permit is a moment's exception, not an allow-list. */
export const PERMIT_MAX_SEC = 600;

export const PERMIT_USAGE = `Usage: !permit <user> [seconds, 1–${PERMIT_MAX_SEC}]: one link, or any links for that many seconds`;

/**
 * Who a `!permit` argument names, as the stored key. A Discord mention (`<@123>`, `<@!123>`) or a
 * Slack one (`<@U123>`, `<@U123|name>`) names a user id; anything else is a username (Twitch's
 * login, with or without `@`), compared in lower case. Null for something that names nobody.
 */
export function permitTarget(arg: string): string | null {
  const mention = /^<@!?([A-Za-z0-9]{1,40})(?:\|[^>]*)?>$/.exec(arg);
  if (mention) return `id:${mention[1]}`;
  const name = arg.replace(/^@/, "").toLowerCase();
  return /^[\p{L}\p{N}_.-]{1,100}$/u.test(name) ? `name:${name}` : null;
}

/** The keys a chat user's permit may be stored under (their id and their username). */
const targetsOf = (event: RoutedEvent) => [`id:${event.user.id}`, `name:${event.user.username.toLowerCase()}`];

/** The window a community's `!permit` gives: from its first links filter that takes permits, or null (off). */
const permitWindowSec = (rules: readonly CompiledRule[]) => rules.find((r) => r.permitSec !== null)?.permitSec ?? null;

/**
 * Spends the user's permit, if there is one in force: a one-link permit goes to 0, a window stays.
 * One UPDATE … RETURNING: two messages racing with a one-link permit let only one link through.
 */
export async function spendPermit(d1: D1Database, communityId: string, event: LiveEvent) {
  const db = createDb(d1);
  const now = new Date();
  const used = await db
    .update(moderationPermits)
    .set({ usesLeft: sql`${moderationPermits.usesLeft} - 1` })
    .where(
      and(
        eq(moderationPermits.communityId, communityId),
        eq(moderationPermits.platform, event.platform),
        inArray(moderationPermits.target, targetsOf(event)),
        gt(moderationPermits.expiresAt, now),
        or(isNull(moderationPermits.usesLeft), gt(moderationPermits.usesLeft, 0)),
      ),
    )
    .returning({ target: moderationPermits.target });
  return used.length > 0;
}

const chat = (text: string): BotReply[] => [{ type: "chat", text }];

/**
 * The `!permit` built-in (moderators and up): `!permit <user>` lets one link through within the
 * rule's window, `!permit <user> <seconds>` any links for that long. A new permit replaces the
 * user's earlier one. The grant and its audit entry are written in one batch.
 */
export const permitBuiltin: Builtin = {
  description: "Lets a user post one link (or links for N seconds) past the link filter: !permit <user> [seconds]",
  minLevel: "moderator",
  // Stores a permit: a simulated moderator must not give a real user one.
  inSimulation: "refuse",
  run: async ({ args, event, env, config }) => {
    const [who, secondsArg, ...rest] = args;
    const target = who ? permitTarget(who) : null;
    const seconds = secondsArg === undefined ? null : Number(secondsArg);
    if (!target || rest.length > 0) return chat(PERMIT_USAGE);
    if (seconds !== null && !(Number.isInteger(seconds) && seconds >= 1 && seconds <= PERMIT_MAX_SEC))
      return chat(PERMIT_USAGE);
    const window = permitWindowSec(config.moderation);
    if (window === null) return chat("!permit is off here: no link filter takes permits.");
    if (event.simulated) return [];
    const durationSec = seconds ?? window;
    const db = createDb(env.DB);
    const now = Date.now();
    const row = {
      communityId: config.communityId,
      platform: event.platform,
      target,
      usesLeft: seconds === null ? 1 : null,
      expiresAt: new Date(now + durationSec * 1000),
      grantedBy: event.user.id,
      createdAt: new Date(now),
    };
    await db.batch([
      db
        .insert(moderationPermits)
        .values(row)
        .onConflictDoUpdate({
          target: [moderationPermits.communityId, moderationPermits.platform, moderationPermits.target],
          set: { usesLeft: row.usesLeft, expiresAt: row.expiresAt, grantedBy: row.grantedBy, createdAt: row.createdAt },
        }),
      db.insert(auditLog).values({
        actorType: "platform",
        actorId: event.user.id,
        communityId: config.communityId,
        action: "moderation.permit",
        targetType: "platform_user",
        targetId: `${event.platform}:${target}`,
        outcome: "success",
        details: {
          platform: event.platform,
          by: event.user.displayName || event.user.username,
          user: who,
          links: seconds === null ? "one" : "any",
          seconds: durationSec,
        },
      }),
    ]);
    const name = who!.slice(0, 100);
    return chat(
      seconds === null
        ? `${name} may post one link in the next ${durationSec}s.`
        : `${name} may post links for the next ${durationSec}s.`,
    );
  },
};
