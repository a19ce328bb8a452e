/**
 * A uniform random integer in [0, n) from WebCrypto, by rejection sampling: a plain
 * `x % n` would favour the low numbers whenever 2^32 is not a multiple of n.
 */
export function randomBelow(n: number): number {
  if (!Number.isInteger(n) || n <= 0 || n > 2 ** 32) throw new RangeError("n must be an integer in [1, 2^32]");
  const limit = 2 ** 32 - (2 ** 32 % n);
  const buf = new Uint32Array(1);
  for (;;) {
    crypto.getRandomValues(buf);
    if (buf[0]! < limit) return buf[0]! % n;
  }
}

/** Picks one entry with probability weight / total weight (the fair weighted draw). */
export function weightedPick<T extends { weight: number }>(entries: T[]): T | null {
  const total = entries.reduce((s, e) => s + e.weight, 0);
  if (total <= 0) return null;
  let r = randomBelow(total);
  for (const e of entries) {
    if (r < e.weight) return e;
    r -= e.weight;
  }
  return null;
}
