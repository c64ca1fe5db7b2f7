/**
 * Okta delivers event hooks at least once (a retry after a slow answer repeats a delivery), and a System
 * Log poll may meet an event twice across a page boundary. A dedupe store remembers which events a flow
 * already got. The default keeps the most recent keys in memory, bounded; a host with several processes
 * passes a shared store (for example Redis `SET key 1 NX EX 86400`) with the same `claim` contract.
 */
export interface DedupeStore {
  /** True the first time a key is claimed, false on every later claim. Must be atomic across callers. */
  claim(key: string): boolean | Promise<boolean>;
}

/** A bounded in-memory store: the oldest keys are forgotten first once `maxKeys` are held. */
export function memoryDedupeStore(maxKeys = 10_000): DedupeStore {
  if (!Number.isInteger(maxKeys) || maxKeys < 1) throw new RangeError('maxKeys must be a positive integer');
  const keys = new Set<string>();
  return {
    claim(key) {
      if (keys.has(key)) return false;
      keys.add(key);
      // A Set iterates in insertion order: the first key is the oldest.
      if (keys.size > maxKeys) keys.delete(keys.values().next().value as string);
      return true;
    },
  };
}
