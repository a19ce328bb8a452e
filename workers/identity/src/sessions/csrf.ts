import { safeEqual } from "../crypto.ts";
import { type Env, publicUrl } from "../env.ts";
import { csrfTokenFor } from "./sessions.repo.ts";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

export function isStateChanging(method: string): boolean {
  return !SAFE_METHODS.has(method.toUpperCase());
}

/**
 * Is this browser request from the portal? An `Origin` header, when the browser sends one,
 * must be the portal's own origin (PUBLIC_URL). Clients that send none (curl, servers) pass
 * this check and are still held to the token check below.
 */
export function originAllowed(env: Env, origin: string | null): boolean {
  if (origin === null) return true;
  try {
    return new URL(origin).origin === new URL(publicUrl(env)).origin;
  } catch {
    return false; // "null" (sandboxed frames, file://) and garbage
  }
}

/**
 * CSRF check for a cookie-authenticated, state-changing request: the `X-CSRF-Token` header
 * must equal the token bound to the session (a cross-site page can send the cookie but
 * cannot read the token), and the Origin must be the portal's.
 */
export async function csrfOk(
  env: Env,
  sessionToken: string,
  presented: string | null,
  origin: string | null,
): Promise<boolean> {
  if (!presented || !originAllowed(env, origin)) return false;
  return safeEqual(presented, await csrfTokenFor(sessionToken));
}
