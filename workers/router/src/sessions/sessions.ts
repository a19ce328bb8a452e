import type { SessionContext, StoredSession } from "../../../../durable-objects/session.ts";
import { randomHex } from "../../../../lib/crypto/encoding.ts";
import { released } from "../../../../lib/rpc.ts";
import type { Env } from "../env.ts";

/** Sessions live one hour (seeds: SESSION_TTL=3600). */
const SESSION_TTL_MS = 3_600_000;
const SESSION_ID = /^sess_[0-9a-f]{32}$/;

export const newSessionId = () => `sess_${randomHex(16)}`;

const stub = (env: Env, id: string) => env.SESSIONS.get(env.SESSIONS.idFromName(id));

/**
 * Stores a session (in its own Durable Object, named by the id) carrying the event's
 * community and user, so a module that answers later can say who and where it answers.
 */
export async function createSession(env: Env, id: string, context: SessionContext): Promise<StoredSession> {
  return released(await stub(env, id).create(id, context, SESSION_TTL_MS));
}

/** The session, or null when the id is malformed, unknown or expired. */
export async function getSession(env: Env, id: string): Promise<StoredSession | null> {
  if (!SESSION_ID.test(id)) return null;
  return released(await stub(env, id).get());
}
