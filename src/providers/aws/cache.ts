/**
 * A small time-bounded cache of promises for listings that many tool calls of one investigation repeat (log
 * groups, the metric inventory, the runbook library). Concurrent callers share one load; a failed load is not
 * kept, so the next call tries again.
 */
export interface TtlCache<K, V> {
  get(key: K, load: () => Promise<V>): Promise<V>;
  clear(): void;
}

export function createTtlCache<K, V>(ttlMs: number, now: () => number = Date.now, maxEntries = 64): TtlCache<K, V> {
  const entries = new Map<K, { value: Promise<V>; expires: number }>();
  return {
    get(key, load) {
      const hit = entries.get(key);
      const t = now();
      if (hit && hit.expires > t) return hit.value;
      const value = load();
      entries.set(key, { value, expires: t + ttlMs });
      value.catch(() => {
        if (entries.get(key)?.value === value) entries.delete(key);
      });
      // Oldest first in a Map: evict beyond the bound so distinct filters cannot grow it without limit.
      while (entries.size > maxEntries) entries.delete(entries.keys().next().value as K);
      return value;
    },
    clear() {
      entries.clear();
    },
  };
}
