import { fromHex, toHex, utf8 } from "./encoding.ts";
import { keyCache } from "./key-cache.ts";

/**
 * Imported keys, by secret. Every Twitch, Slack and relay verification and every webhook-module
 * signature used to import its key again although an isolate sees a handful of secrets: the
 * instance's platform secrets and the installed modules'. The secret is already in this
 * isolate's memory (env, decrypted config).
 */
export const HMAC_KEY_CACHE_MAX = 256;
const cached = keyCache(HMAC_KEY_CACHE_MAX);

/** The HMAC-SHA256 key for `secret` (sign and verify), imported once per isolate. */
export const hmacKey = (secret: string): Promise<CryptoKey> =>
  cached(secret, () =>
    crypto.subtle.importKey("raw", utf8(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign", "verify"]),
  );

/** HMAC-SHA256 of `message` as lowercase hex. */
export async function hmacSha256Hex(secret: string, message: string): Promise<string> {
  const key = await hmacKey(secret);
  return toHex(await crypto.subtle.sign("HMAC", key, utf8(message)));
}

/**
 * Checks a hex HMAC-SHA256 signature. WebCrypto's verify compares in constant time, so a
 * forged signature learns nothing from how long the answer took.
 */
export async function verifyHmacSha256Hex(secret: string, message: string, signatureHex: string): Promise<boolean> {
  if (!secret) return false;
  const signature = fromHex(signatureHex);
  if (signature?.length !== 32) return false;
  const key = await hmacKey(secret);
  return crypto.subtle.verify("HMAC", key, signature, utf8(message));
}
