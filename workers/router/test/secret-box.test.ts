import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { currentKeyId, isSealed, open, reseal, SecretBoxError, seal } from "../../../lib/crypto/secret-box.ts";

const b64Key = () => btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(32))));

describe("secret box (AES-256-GCM at rest)", () => {
  it("round-trips and never stores the plaintext", async () => {
    const sealed = await seal(env, "xoxb-very-secret", "t.c:1");
    expect(isSealed(sealed)).toBe(true);
    expect(sealed).not.toContain("xoxb");
    expect(sealed.split(".")[1]).toBe(await currentKeyId(env));
    expect(await open(env, sealed, "t.c:1")).toBe("xoxb-very-secret");
    // A fresh IV each time: the same secret never seals to the same text.
    expect(await seal(env, "xoxb-very-secret", "t.c:1")).not.toBe(sealed);
  });

  it("refuses a value moved to another row or column (context is authenticated)", async () => {
    const sealed = await seal(env, "token", "t.c:1");
    await expect(open(env, sealed, "t.c:2")).rejects.toBeInstanceOf(SecretBoxError);
  });

  it("refuses a tampered ciphertext and a value that is not sealed", async () => {
    const sealed = await seal(env, "token", "ctx");
    const parts = sealed.split(".");
    const ct = parts[3] ?? "";
    parts[3] = (ct[0] === "A" ? "B" : "A") + ct.slice(1);
    await expect(open(env, parts.join("."), "ctx")).rejects.toThrow(/authentication/);
    await expect(open(env, "plain-token", "ctx")).rejects.toThrow(/not a sealed value/);
  });

  it("refuses a missing or malformed key", async () => {
    await expect(seal({}, "x", "c")).rejects.toThrow(/not set/);
    await expect(seal({ TOKEN_ENCRYPTION_KEY: btoa("short") }, "x", "c")).rejects.toThrow(/32 bytes/);
  });

  it("rotates: old values open with the previous key and reseal under the new one", async () => {
    const oldKey = b64Key();
    const newKey = b64Key();
    const sealedOld = await seal({ TOKEN_ENCRYPTION_KEY: oldKey }, "refresh-1", "ctx");
    const rotated = { TOKEN_ENCRYPTION_KEY: newKey, TOKEN_ENCRYPTION_PREVIOUS_KEYS: ` ${oldKey} ` };
    // Without the previous key the old value names a key nobody has.
    await expect(open({ TOKEN_ENCRYPTION_KEY: newKey }, sealedOld, "ctx")).rejects.toThrow(/no configured key/);
    expect(await open(rotated, sealedOld, "ctx")).toBe("refresh-1");
    const resealed = await reseal(rotated, sealedOld, "ctx");
    expect(resealed?.split(".")[1]).toBe(await currentKeyId({ TOKEN_ENCRYPTION_KEY: newKey }));
    expect(await open({ TOKEN_ENCRYPTION_KEY: newKey }, resealed as string, "ctx")).toBe("refresh-1");
    expect(await reseal(rotated, resealed as string, "ctx")).toBeNull();
  });
});
