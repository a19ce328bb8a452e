/**
 * A bounded cache of imported CryptoKeys, least recently used dropped first. WebCrypto's import
 * is async, and an isolate sees only a handful of keys (its settings, the installed modules'
 * secrets), so each is imported once; the bound keeps rotating secrets from growing it without end.
 * A failed import is not kept: the next call tries again.
 */
export function keyCache(max: number) {
  const keys = new Map<string, Promise<CryptoKey>>();
  return (id: string, load: () => Promise<CryptoKey>): Promise<CryptoKey> => {
    let key = keys.get(id);
    if (key) {
      // Move to the back: the map's insertion order is the recency order.
      keys.delete(id);
      keys.set(id, key);
      return key;
    }
    key = load();
    const imported = key;
    imported.catch(() => keys.get(id) === imported && keys.delete(id));
    keys.set(id, key);
    if (keys.size > max) keys.delete(keys.keys().next().value!);
    return key;
  };
}
