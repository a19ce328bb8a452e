import { sha256Hex } from "../crypto.ts";

/** No 0/O, 1/I/L: a code read aloud or typed from a phone is never ambiguous. 31 symbols. */
export const CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";
const CODE_LENGTH = 6;
export const CODE_TTL_MS = 10 * 60_000;
/** Tries a code allows in all (each reserved before the comparison); the fifth wrong one kills it. */
export const MAX_CODE_ATTEMPTS = 5;

/** A uniformly random code (rejection sampling: no modulo bias). */
export function generateCode(): string {
  let out = "";
  const limit = 256 - (256 % CODE_ALPHABET.length);
  while (out.length < CODE_LENGTH) {
    for (const byte of crypto.getRandomValues(new Uint8Array(16))) {
      if (byte < limit && out.length < CODE_LENGTH) out += CODE_ALPHABET[byte % CODE_ALPHABET.length];
    }
  }
  return out;
}

/** How people type codes: any case, stray spaces or dashes. */
function normalizeCode(input: string): string {
  return input.toUpperCase().replace(/[\s-]/g, "");
}

/** The stored form: SHA-256 salted with the code's row id, so equal codes never hash alike. */
export function hashCode(codeId: string, code: string): Promise<string> {
  return sha256Hex(`link-code:${codeId}:${normalizeCode(code)}`);
}
