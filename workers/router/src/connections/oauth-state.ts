import { and, eq, gt, lt } from "drizzle-orm";
import { hashApiKey } from "../../../../lib/auth/api-keys.ts";
import { randomHex } from "../../../../lib/crypto/encoding.ts";
import { sealContext } from "../../../../lib/crypto/sealed-columns.ts";
import { open, type SecretBoxConfig, seal } from "../../../../lib/crypto/secret-box.ts";
import { createDb } from "../../../../lib/db/client.ts";
import { type OAuthTarget, oauthStates } from "../../../../lib/db/schema/index.ts";

/** How long an authorisation may take, from "Connect" to the callback. */
export const STATE_TTL_MS = 10 * 60_000;

/** What the state store needs: D1, and the key that seals a PKCE verifier. */
interface StateEnv extends SecretBoxConfig {
  DB: D1Database;
}

// Bound to the state's hash: a sealed verifier copied to another state's row does not open.
const verifierContext = (stateHash: string) =>
  sealContext({ table: "oauth_states", column: "code_verifier" }, stateHash);

/**
 * A fresh `state` for an OAuth authorisation, bound to the user who started it, the community and
 * the target. Only its SHA-256 is stored, so a database read never yields a usable state; a PKCE
 * flow's verifier is stored sealed beside it.
 */
export async function issueState(
  env: StateEnv,
  input: { userId: string; communityId: string | null; target: OAuthTarget; verifier?: string },
  now = Date.now(),
): Promise<string> {
  const state = randomHex(32);
  const stateHash = await hashApiKey(state);
  const db = createDb(env.DB);
  await db.batch([
    // Abandoned authorisations go as new ones start (the retention job is not needed for this).
    db.delete(oauthStates).where(lt(oauthStates.expiresAt, new Date(now))),
    db.insert(oauthStates).values({
      stateHash,
      userId: input.userId,
      communityId: input.communityId,
      target: input.target,
      codeVerifier: input.verifier ? await seal(env, input.verifier, verifierContext(stateHash)) : null,
      expiresAt: new Date(now + STATE_TTL_MS),
    }),
  ]);
  return state;
}

/**
 * Claims a state: single use (deleted by the same statement that reads it, so two callbacks
 * racing cannot both win), unexpired, for this target. Null when any of that fails. Answers who
 * started it, where, and its PKCE verifier (opened; null when it was issued without one).
 */
export async function claimState(env: StateEnv, state: string, target: OAuthTarget, now = Date.now()) {
  const stateHash = await hashApiKey(state);
  const [row] = await createDb(env.DB)
    .delete(oauthStates)
    .where(
      and(
        eq(oauthStates.stateHash, stateHash),
        eq(oauthStates.target, target),
        gt(oauthStates.expiresAt, new Date(now)),
      ),
    )
    .returning({
      userId: oauthStates.userId,
      communityId: oauthStates.communityId,
      codeVerifier: oauthStates.codeVerifier,
    });
  if (!row) return null;
  const verifier = row.codeVerifier ? await open(env, row.codeVerifier, verifierContext(stateHash)) : null;
  return { userId: row.userId, communityId: row.communityId, verifier };
}
