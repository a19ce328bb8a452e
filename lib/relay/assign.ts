/**
 * Who holds what: Discord shards and Twitch channels spread over the live relay copies by
 * rendezvous (highest random weight) hashing with bounded load. Each item prefers the copies
 * in order of hash(copy, item) and goes to the first that holds fewer than ceil(items/copies),
 * so copies are balanced to within one item, and adding or removing a copy moves few items
 * (mostly those the new copy wins, or the departed copy's own).
 */

/** FNV-1a 32-bit, then a murmur finaliser: cheap, well spread, the same everywhere. */
function weight(copy: string, item: string): number {
  let h = 0x811c9dc5;
  const s = `${copy}\u0000${item}`;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Items per copy: every item in exactly one copy's list, every copy present, balanced within one. */
export function spread(copies: readonly string[], items: readonly string[]): Map<string, string[]> {
  const out = new Map(copies.map((c) => [c, [] as string[]]));
  if (!copies.length) return out;
  const cap = Math.ceil(items.length / copies.length);
  for (const item of [...items].sort()) {
    const ranked = [...copies].sort((a, b) => weight(b, item) - weight(a, item) || (a < b ? -1 : 1));
    const owner = ranked.find((c) => out.get(c)!.length < cap)!;
    out.get(owner)!.push(item);
  }
  return out;
}
