/** Cookie names and attributes for the portal session. */
export const SESSION_COOKIE = "wb_session";
/** Readable by the portal's JavaScript, which echoes it in `X-CSRF-Token`. */
export const CSRF_COOKIE = "wb_csrf";
/** Holds the OAuth `state` between /start and /callback. */
export const OAUTH_STATE_COOKIE = "wb_oauth_state";

/** Parses a Cookie header into name → value (first occurrence wins). */
export function parseCookies(header: string | null | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!header) return out;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq < 1) continue;
    const name = part.slice(0, eq).trim();
    if (name in out) continue;
    out[name] = part.slice(eq + 1).trim();
  }
  return out;
}

interface CookieOptions {
  httpOnly?: boolean;
  /** Seconds; 0 deletes the cookie; absent = a browser-session cookie (the server owns expiry). */
  maxAge?: number;
  path?: string;
}

/** A Set-Cookie value. Always `Secure` and `SameSite=Lax`: the portal never needs less. */
export function serializeCookie(name: string, value: string, opts: CookieOptions = {}): string {
  const parts = [`${name}=${value}`, `Path=${opts.path ?? "/"}`, "Secure", "SameSite=Lax"];
  if (opts.httpOnly ?? true) parts.push("HttpOnly");
  if (opts.maxAge !== undefined) parts.push(`Max-Age=${opts.maxAge}`);
  return parts.join("; ");
}
