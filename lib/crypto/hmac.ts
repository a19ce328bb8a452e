import { fromHex, toHex, utf8 } from "./encoding.ts";

async function hmacKey(secret: string, usage: "sign" | "verify"): Promise<CryptoKey> {
  return crypto.subtle.importKey("raw", utf8(secret), { name: "HMAC", hash: "SHA-256" }, false, [usage]);
}

/** HMAC-SHA256 of `message` as lowercase hex. */
export async function hmacSha256Hex(secret: string, message: string): Promise<string> {
  const key = await hmacKey(secret, "sign");
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
  const key = await hmacKey(secret, "verify");
  return crypto.subtle.verify("HMAC", key, signature, utf8(message));
}
