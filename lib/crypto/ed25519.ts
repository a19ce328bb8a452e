import { fromBase64, fromHex } from "./encoding.ts";
import { keyCache } from "./key-cache.ts";

/**
 * Imported Ed25519 public keys, by their setting: a worker verifies with one or two keys from
 * its environment (Discord's application key, the licence vendor's key). `verifyKey` given the
 * hex string, or an import per licence check, imported the key again on every request.
 */
export const ED25519_KEY_CACHE_MAX = 16;
const cached = keyCache(ED25519_KEY_CACHE_MAX);

const decoders = { hex: fromHex, base64: fromBase64 } as const;

/**
 * An Ed25519 public key (verify only) from its setting, `hex` (Discord) or `base64` (licences),
 * imported once per isolate. A setting that does not decode or import (not 32 bytes) rejects,
 * and is not kept.
 */
export const ed25519PublicKey = (encoded: string, encoding: keyof typeof decoders): Promise<CryptoKey> =>
  cached(`${encoding}:${encoded}`, async () => {
    const raw = decoders[encoding](encoded);
    if (!raw) throw new Error(`not ${encoding}`);
    return crypto.subtle.importKey("raw", raw, { name: "Ed25519" }, false, ["verify"]);
  });
