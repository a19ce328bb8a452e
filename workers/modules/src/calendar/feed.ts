/**
 * The community's iCal feed (RFC 5545), served at a capability URL `/calendar/<token>.ics` by the
 * router. The token is 32 random bytes: its SHA-256 finds the community, and a sealed copy lets
 * the portal show the URL again; a rotation replaces both, so the old URL answers 404 at once.
 */

import { and, asc, eq, gte } from "drizzle-orm";
import ical from "ical-generator";
import { randomHex, sha256Hex } from "../../../../lib/crypto/encoding.ts";
import { sealContext } from "../../../../lib/crypto/sealed-columns.ts";
import { open, seal } from "../../../../lib/crypto/secret-box.ts";
import type { Database } from "../../../../lib/db/client.ts";
import { communities } from "../../../../lib/db/schema/communities.ts";
import type { Env } from "../env.ts";
import { goingColumn } from "./repo.ts";
import { calendarEvents, calendarFeeds } from "./schema.ts";

const FEED_TOKEN = /^[0-9a-f]{64}$/;
/** How far back the feed goes (a subscriber still sees last week's events), and how many it lists. */
const FEED_PAST_MS = 30 * 86_400_000;
const FEED_MAX = 500;

const context = (communityId: string) => sealContext({ table: "calendar_feeds", column: "token_sealed" }, communityId);

/** Makes a new token for the community (first use or rotation); returns it in clear, once per call. */
export async function rotateFeed(env: Env, db: Database, communityId: string): Promise<string> {
  const token = randomHex(32);
  const values = {
    tokenHash: await sha256Hex(token),
    tokenSealed: await seal(env, token, context(communityId)),
  };
  await db
    .insert(calendarFeeds)
    .values({ communityId, ...values })
    .onConflictDoUpdate({ target: calendarFeeds.communityId, set: { ...values, rotatedAt: new Date() } });
  return token;
}

/** The community's current token, made on first use (two first uses at once agree on one). */
export async function feedToken(env: Env, db: Database, communityId: string): Promise<string> {
  const read = () => db.select().from(calendarFeeds).where(eq(calendarFeeds.communityId, communityId)).get();
  let row = await read();
  if (!row) {
    const token = randomHex(32);
    await db
      .insert(calendarFeeds)
      .values({
        communityId,
        tokenHash: await sha256Hex(token),
        tokenSealed: await seal(env, token, context(communityId)),
      })
      .onConflictDoNothing();
    row = (await read())!;
  }
  return open(env, row.tokenSealed, context(communityId));
}

/** The feed for a token, or null when no community has it (the router answers 404). */
export async function feedIcs(db: Database, token: string, now: number): Promise<string | null> {
  if (!FEED_TOKEN.test(token)) return null;
  const feed = await db
    .select({ communityId: calendarFeeds.communityId, name: communities.name })
    .from(calendarFeeds)
    .innerJoin(communities, eq(communities.id, calendarFeeds.communityId))
    .where(eq(calendarFeeds.tokenHash, await sha256Hex(token)))
    .get();
  if (!feed) return null;
  const events = await db
    .select({
      id: calendarEvents.id,
      number: calendarEvents.number,
      title: calendarEvents.title,
      startsAt: calendarEvents.startsAt,
      endsAt: calendarEvents.endsAt,
      proposedBy: calendarEvents.proposedBy,
      sequence: calendarEvents.sequence,
      createdAt: calendarEvents.createdAt,
      updatedAt: calendarEvents.updatedAt,
      going: goingColumn,
    })
    .from(calendarEvents)
    .where(
      and(
        eq(calendarEvents.communityId, feed.communityId),
        eq(calendarEvents.status, "approved"),
        gte(calendarEvents.endsAt, new Date(now - FEED_PAST_MS)),
      ),
    )
    .orderBy(asc(calendarEvents.startsAt))
    .limit(FEED_MAX);
  const cal = ical({
    name: `${feed.name} events`,
    prodId: { company: "WaddleBot", product: "calendar", language: "EN" },
  });
  for (const e of events) {
    cal.createEvent({
      // Stable across edits and feeds: calendar apps update the event instead of adding a copy.
      id: `${e.id}@waddlebot`,
      sequence: e.sequence,
      stamp: e.updatedAt,
      created: e.createdAt,
      lastModified: e.updatedAt,
      start: e.startsAt,
      end: e.endsAt,
      summary: e.title,
      description: `#${e.number}, proposed by ${e.proposedBy}. ${e.going} going: !rsvp ${e.number} in chat.`,
    });
  }
  // RFC 5545 §3.1: every content line ends in CRLF, the last one too (ical-generator leaves it off).
  return `${cal.toString()}\r\n`;
}
