/** The small key-value store the queue, the cart and the consent choice live in. */
export interface KV {
  get(key: string): string | null
  /** Never throws: a write localStorage refuses (quota full) is skipped. */
  set(key: string, value: string): void
  remove(key: string): void
  keys(): string[]
}

/**
 * localStorage where it works, memory where it does not (Safari private mode,
 * storage blocked by the visitor), so tracking goes on: a Map that answers to
 * the Storage method names. A refused write is skipped: the caps of queue.ts
 * keep this SDK's share small, so only a site that fills the quota itself
 * meets it.
 */
export function createStorage(): KV {
  let store: Storage | (Map<string, string> & Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>)
  try {
    // Blocked storage throws on access; nothing is written before consent.
    ;(store = localStorage).length
  } catch {
    const map = new Map() as any
    map.getItem = map.get
    map.setItem = map.set
    map.removeItem = map.delete
    store = map
  }
  return {
    get: (key) => store.getItem(key),
    set(key, value) {
      try {
        store.setItem(key, value)
      } catch {}
    },
    remove: (key) => store.removeItem(key),
    // localStorage lists its keys to Object.keys(); a Map through keys().
    keys: () => [...((store as Map<string, string>).keys?.() ?? Object.keys(store))],
  }
}
