import { utf8 } from "./encoding.ts";

/**
 * Compares a presented secret with the expected one in constant time. Both are hashed first,
 * so the comparison is always of 32 equal-length bytes and neither the content nor the
 * length of the secret shows in how long the answer takes. `crypto.subtle.timingSafeEqual`
 * is the Workers runtime's constant-time byte comparison.
 */
export async function secretEquals(presented: string, expected: string): Promise<boolean> {
  const [a, b] = await Promise.all([
    crypto.subtle.digest("SHA-256", utf8(presented)),
    crypto.subtle.digest("SHA-256", utf8(expected)),
  ]);
  return crypto.subtle.timingSafeEqual(a, b);
}
