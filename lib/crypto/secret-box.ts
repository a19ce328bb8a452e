import { fromBase64, toHex, utf8 } from "./encoding.ts";

/**
 * Secrets at rest (platform tokens, refresh tokens, module secrets): AES-256-GCM under the key in
 * the `TOKEN_ENCRYPTION_KEY` secret (32 random bytes, base64). A sealed value reads
 * `v1.<key id>.<iv>.<ciphertext>` (base64url), so a reader knows which key opens it and the key
 * can be rotated: set the new key as `TOKEN_ENCRYPTION_KEY`, the old one in
 * `TOKEN_ENCRYPTION_PREVIOUS_KEYS` (comma-separated), and re-encrypt (`npm run rotate-key`).
 * The key id is derived from the key (first 8 hex of its SHA-256), so it can never disagree with it.
 *
 * `context` is bound as additional authenticated data (e.g. `platform_connections.access_token:<row id>`):
 * a ciphertext copied into another row or column fails to open instead of being used there.
 */
export interface SecretBoxConfig {
  TOKEN_ENCRYPTION_KEY?: string;
  TOKEN_ENCRYPTION_PREVIOUS_KEYS?: string;
}

export class SecretBoxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SecretBoxError";
  }
}

const VERSION = "v1";
const IV_BYTES = 12;

interface LoadedKey {
  id: string;
  key: CryptoKey;
}

// Imported keys per secret string: importKey and SHA-256 once per isolate, not per token.
const keyCache = new Map<string, Promise<LoadedKey>>();

function loadKey(b64: string): Promise<LoadedKey> {
  let hit = keyCache.get(b64);
  if (!hit) {
    hit = (async () => {
      let raw: Uint8Array<ArrayBuffer>;
      try {
        raw = fromBase64(b64.trim());
      } catch {
        throw new SecretBoxError("TOKEN_ENCRYPTION_KEY is not base64");
      }
      if (raw.length !== 32) throw new SecretBoxError("TOKEN_ENCRYPTION_KEY must be 32 bytes (base64)");
      const id = toHex(await crypto.subtle.digest("SHA-256", raw)).slice(0, 8);
      const key = await crypto.subtle.importKey("raw", raw, "AES-GCM", false, ["encrypt", "decrypt"]);
      return { id, key };
    })();
    hit.catch(() => keyCache.delete(b64));
    keyCache.set(b64, hit);
  }
  return hit;
}

function currentKey(env: SecretBoxConfig): Promise<LoadedKey> {
  if (!env.TOKEN_ENCRYPTION_KEY) throw new SecretBoxError("TOKEN_ENCRYPTION_KEY is not set");
  return loadKey(env.TOKEN_ENCRYPTION_KEY);
}

async function allKeys(env: SecretBoxConfig): Promise<LoadedKey[]> {
  const previous = (env.TOKEN_ENCRYPTION_PREVIOUS_KEYS ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  return Promise.all([currentKey(env), ...previous.map(loadKey)]);
}

const b64url = (bytes: Uint8Array): string => {
  let bin = "";
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
};

const fromB64url = (s: string): Uint8Array<ArrayBuffer> =>
  fromBase64(s.replace(/-/g, "+").replace(/_/g, "/") + "=".repeat((4 - (s.length % 4)) % 4));

/** True for a value this module sealed (any key id). */
export function isSealed(value: unknown): value is string {
  return typeof value === "string" && /^v1\.[0-9a-f]{8}\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/.test(value);
}

/** The key id a sealed value was sealed with, or null. */
export function sealedKeyId(value: string): string | null {
  return isSealed(value) ? (value.split(".")[1] ?? null) : null;
}

/** The current key's id (what `rotate-key` re-encrypts towards). */
export async function currentKeyId(env: SecretBoxConfig): Promise<string> {
  return (await currentKey(env)).id;
}

/** Encrypts `plaintext` under the current key, bound to `context`. */
export async function seal(env: SecretBoxConfig, plaintext: string, context: string): Promise<string> {
  const { id, key } = await currentKey(env);
  const iv = crypto.getRandomValues(new Uint8Array(IV_BYTES));
  const ct = await crypto.subtle.encrypt({ name: "AES-GCM", iv, additionalData: utf8(context) }, key, utf8(plaintext));
  return `${VERSION}.${id}.${b64url(iv)}.${b64url(new Uint8Array(ct))}`;
}

/**
 * Decrypts a sealed value with whichever configured key its id names. Throws SecretBoxError when
 * the value is not sealed, no configured key has its id, or it was tampered with / moved to
 * another context.
 */
export async function open(env: SecretBoxConfig, sealed: string, context: string): Promise<string> {
  if (!isSealed(sealed)) throw new SecretBoxError("not a sealed value");
  const [, keyId, iv = "", ct = ""] = sealed.split(".");
  const match = (await allKeys(env)).find((k) => k.id === keyId);
  if (!match)
    throw new SecretBoxError(
      `no configured key has id ${keyId} (rotate-key needs the old key in TOKEN_ENCRYPTION_PREVIOUS_KEYS)`,
    );
  try {
    const pt = await crypto.subtle.decrypt(
      { name: "AES-GCM", iv: fromB64url(iv), additionalData: utf8(context) },
      match.key,
      fromB64url(ct),
    );
    return new TextDecoder().decode(pt);
  } catch {
    throw new SecretBoxError("sealed value failed authentication (wrong key, context or tampered)");
  }
}

/** Re-seals under the current key when `sealed` used an older one; null when already current. */
export async function reseal(env: SecretBoxConfig, sealed: string, context: string): Promise<string | null> {
  if (sealedKeyId(sealed) === (await currentKeyId(env))) return null;
  return seal(env, await open(env, sealed, context), context);
}
