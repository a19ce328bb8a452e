import { describe, expect, it } from "vitest";
import { ED25519_KEY_CACHE_MAX, ed25519PublicKey } from "../../../lib/crypto/ed25519.ts";
import { toBase64, toHex, utf8 } from "../../../lib/crypto/encoding.ts";
import { HMAC_KEY_CACHE_MAX, hmacKey, hmacSha256Hex, verifyHmacSha256Hex } from "../../../lib/crypto/hmac.ts";
import { discordHeaders } from "../../../test/shared/sign.ts";
import { vars } from "../../../test/workerd/ingress.ts";
import { verifyDiscord } from "../src/verify.ts";

const otherDiscordKeyPair = () =>
  crypto.subtle.generateKey({ name: "Ed25519" }, true, ["sign", "verify"]) as Promise<CryptoKeyPair>;

/** The signature computed the slow way (a fresh import), to compare the cached path against. */
async function reference(secret: string, message: string): Promise<string> {
  const key = await crypto.subtle.importKey("raw", utf8(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  return toHex(await crypto.subtle.sign("HMAC", key, utf8(message)));
}

describe("HMAC CryptoKey cache (lib/crypto/hmac.ts)", () => {
  it("imports a secret's key once and hands the same key back", async () => {
    const secret = `s-${crypto.randomUUID()}`;
    const first = await hmacKey(secret);
    expect(await hmacKey(secret)).toBe(first);
    expect(await hmacKey(`${secret}-other`)).not.toBe(first);
  });

  it("signs and verifies with the key of the secret asked for, never another cached one", async () => {
    const a = `a-${crypto.randomUUID()}`;
    const b = `b-${crypto.randomUUID()}`;
    for (let round = 0; round < 2; round++) {
      for (const secret of [a, b]) {
        const sig = await hmacSha256Hex(secret, "1700000000.body");
        expect(sig).toBe(await reference(secret, "1700000000.body"));
        expect(await verifyHmacSha256Hex(secret, "1700000000.body", sig)).toBe(true);
      }
    }
    const sigA = await hmacSha256Hex(a, "m");
    expect(await verifyHmacSha256Hex(b, "m", sigA)).toBe(false);
    expect(await verifyHmacSha256Hex(a, "m2", sigA)).toBe(false);
  });

  it("stays bounded: past the limit the least recently used key is dropped and imported again", async () => {
    const oldest = `old-${crypto.randomUUID()}`;
    const kept = `kept-${crypto.randomUUID()}`;
    const oldKey = await hmacKey(oldest);
    const keptKey = await hmacKey(kept);
    for (let i = 0; i < HMAC_KEY_CACHE_MAX - 1; i++) {
      await hmacKey(`fill-${i}-${crypto.randomUUID()}`);
      // `kept` is used all along, so it is never the least recently used.
      if (i % 50 === 0) expect(await hmacKey(kept)).toBe(keptKey);
    }
    expect(await hmacKey(kept)).toBe(keptKey);
    const again = await hmacKey(oldest);
    expect(again).not.toBe(oldKey);
    expect(await hmacSha256Hex(oldest, "x")).toBe(await reference(oldest, "x"));
  });
});

describe("Ed25519 public keys (lib/crypto/ed25519.ts: Discord's key, the licence key)", () => {
  const publicKey = vars.DISCORD_PUBLIC_KEY!;
  const headers = (h: Record<string, string>) => new Headers(h);

  it("hands back the same key for the same setting and a new one when the setting changes", async () => {
    const first = await ed25519PublicKey(publicKey, "hex");
    expect(await ed25519PublicKey(publicKey, "hex")).toBe(first);
    const other = await crypto.subtle.exportKey("raw", (await otherDiscordKeyPair()).publicKey);
    const otherHex = toHex(other as ArrayBuffer);
    expect(await ed25519PublicKey(otherHex, "hex")).not.toBe(first);
    // The request signed with the application's key is refused under the other key, and passes again after.
    const body = '{"type":1}';
    const signed = headers(await discordHeaders(vars.TEST_DISCORD_PRIVATE_KEY, body));
    await expect(verifyDiscord(otherHex, signed, body)).rejects.toThrow("Invalid request signature");
    await expect(verifyDiscord(publicKey, signed, body)).resolves.toBeUndefined();
  });

  it("refuses with 401 when the configured key is not a key, and keeps no broken key", async () => {
    const body = '{"type":1}';
    const signed = headers(await discordHeaders(vars.TEST_DISCORD_PRIVATE_KEY, body));
    for (const bad of ["zz", "abcd", "00".repeat(31)]) {
      await expect(verifyDiscord(bad, signed, body)).rejects.toMatchObject({ status: 401 });
    }
    await expect(verifyDiscord(publicKey, signed, body)).resolves.toBeUndefined();
  });

  it("reads base64 (the licence key) apart from hex, verifies with it, and stays bounded", async () => {
    const pair = await otherDiscordKeyPair();
    const raw = new Uint8Array((await crypto.subtle.exportKey("raw", pair.publicKey)) as ArrayBuffer);
    const b64 = toBase64(raw);
    const key = await ed25519PublicKey(b64, "base64");
    expect(await ed25519PublicKey(b64, "base64")).toBe(key);
    const signed = await crypto.subtle.sign("Ed25519", pair.privateKey, utf8("licence"));
    expect(await crypto.subtle.verify("Ed25519", key, signed, utf8("licence"))).toBe(true);
    expect(
      await crypto.subtle.verify("Ed25519", await ed25519PublicKey(publicKey, "hex"), signed, utf8("licence")),
    ).toBe(false);
    await expect(ed25519PublicKey("not base64!", "base64")).rejects.toThrow();
    // 64 hex digits are also base64 (of 48 bytes, not a key): cached under hex, refused as base64.
    await ed25519PublicKey(publicKey, "hex");
    await expect(ed25519PublicKey(publicKey, "base64")).rejects.toThrow();
    for (let i = 0; i < ED25519_KEY_CACHE_MAX; i++) {
      const fill = await crypto.subtle.exportKey("raw", (await otherDiscordKeyPair()).publicKey);
      await ed25519PublicKey(toHex(fill as ArrayBuffer), "hex");
    }
    expect(await ed25519PublicKey(b64, "base64")).not.toBe(key);
  });
});
