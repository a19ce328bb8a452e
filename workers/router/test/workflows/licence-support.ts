import { env } from "cloudflare:workers";
import { fromBase64, toBase64 } from "../../../../lib/crypto/encoding.ts";

const b64url = (bytes: Uint8Array) => toBase64(bytes).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");

/** A licence token signed with the test key (or `key`, to forge one). */
export async function signLicence(payload: Record<string, unknown>, key?: CryptoKey): Promise<string> {
  const signer =
    key ??
    (await crypto.subtle.importKey("pkcs8", fromBase64(env.TEST_LICENSE_PRIVATE_KEY), { name: "Ed25519" }, false, [
      "sign",
    ]));
  const body = b64url(new TextEncoder().encode(JSON.stringify(payload)));
  const sig = new Uint8Array(await crypto.subtle.sign("Ed25519", signer, new TextEncoder().encode(body)));
  return `${body}.${b64url(sig)}`;
}

export const inDays = (days: number) => Math.floor(Date.now() / 1000) + days * 86400;
