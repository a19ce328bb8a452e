import { toHex, utf8 } from "../crypto/encoding.ts";

/** Recognisable in logs and secret scanners: `wbk_` + 40 hex characters (160 random bits). */
const API_KEY_PREFIX = "wbk_";
const API_KEY_PATTERN = /^wbk_[0-9a-f]{40}$/;

export function generateApiKey(): string {
  return API_KEY_PREFIX + toHex(crypto.getRandomValues(new Uint8Array(20)));
}

export function looksLikeApiKey(value: string): boolean {
  return API_KEY_PATTERN.test(value);
}

/** The stored form of a key: its SHA-256, hex. The key itself is never stored. */
export async function hashApiKey(key: string): Promise<string> {
  return toHex(await crypto.subtle.digest("SHA-256", utf8(key)));
}

/** What a person sees in a list of keys: the prefix and the first few characters. */
export function displayPrefix(key: string): string {
  return key.slice(0, API_KEY_PREFIX.length + 6);
}
