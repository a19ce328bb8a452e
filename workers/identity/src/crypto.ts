import { randomHex, toHex, utf8 } from "../../../lib/crypto/encoding.ts";

/** SHA-256 of a string, lowercase hex: the stored form of every token this worker issues. */
export async function sha256Hex(value: string): Promise<string> {
  return toHex(await crypto.subtle.digest("SHA-256", utf8(value)));
}

/** A random token: `prefix` + 64 hex characters (256 bits). */
export function randomToken(prefix: string): string {
  return prefix + randomHex(32);
}

/**
 * Compares two strings in constant time (for their common length; a length difference is
 * not a secret here). Workers' `crypto.subtle.timingSafeEqual` does the byte comparison.
 */
export function safeEqual(a: string, b: string): boolean {
  const left = utf8(a);
  const right = utf8(b);
  if (left.byteLength !== right.byteLength) return false;
  return crypto.subtle.timingSafeEqual(left, right);
}
