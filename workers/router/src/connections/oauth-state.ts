import { and, eq, gt, lt } from "drizzle-orm";
import { hashApiKey } from "../../../../lib/auth/api-keys.ts";
import type { ConnectTarget } from "../../../../lib/connections/scopes.ts";
import { randomHex } from "../../../../lib/crypto/encoding.ts";
import { createDb } from "../../../../lib/db/client.ts";
import { oauthStates } from "../../../../lib/db/schema/index.ts";

/** How long an authorisation may take, from "Connect" to the callback. */
export const STATE_TTL_MS = 10 * 60_000;

/**
 * A fresh `state` for an OAuth authorisation, bound to the user who started it, the community and
 * the platform. Only its SHA-256 is stored, so a database read never yields a usable state.
 */
export async function issueState(
  d1: D1Database,
  input: { userId: string; communityId: string | null; target: ConnectTarget },
  now = Date.now(),
): Promise<string> {
  const state = randomHex(32);
  const db = createDb(d1);
  await db.batch([
    // Abandoned authorisations go as new ones start (the retention job is not needed for this).
    db.delete(oauthStates).where(lt(oauthStates.expiresAt, new Date(now))),
    db.insert(oauthStates).values({
      stateHash: await hashApiKey(state),
      userId: input.userId,
      communityId: input.communityId,
      target: input.target,
      expiresAt: new Date(now + STATE_TTL_MS),
    }),
  ]);
  return state;
}

/**
 * Claims a state: single use (deleted by the same statement that reads it, so two callbacks
 * racing cannot both win), unexpired, for this platform. Null when any of that fails.
 */
export async function claimState(d1: D1Database, state: string, target: ConnectTarget, now = Date.now()) {
  const rows = await createDb(d1)
    .delete(oauthStates)
    .where(
      and(
        eq(oauthStates.stateHash, await hashApiKey(state)),
        eq(oauthStates.target, target),
        gt(oauthStates.expiresAt, new Date(now)),
      ),
    )
    .returning({ userId: oauthStates.userId, communityId: oauthStates.communityId });
  return rows[0] ?? null;
}
