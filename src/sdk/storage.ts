/** The small key-value store the queue, the cart and the consent choice live in. */
export interface KV {
  get(key: string): string | null
  set(key: string, value: string): void
  remove(key: string): void
  keys(): string[]
}

/** Forgets on reload: where localStorage is blocked (Safari private mode, settings), and in tests. */
export function createMemoryKV(): KV {
  const map: Record<string, string> = {}
  return {
    get: (key) => map[key] ?? null,
    set: (key, value) => void (map[key] = value),
    remove: (key) => void delete map[key],
    keys: () => Object.keys(map),
  }
}

/**
 * localStorage where it works, memory where it does not, so tracking goes on.
 * A write localStorage refuses (quota full) is skipped: the caps of queue.ts
 * keep this SDK's share small, so only a site that fills the quota itself
 * meets it.
 */
export function createStorage(): KV {
  try {
    localStorage.setItem('esputnik:probe', '1')
    return {
      get: (key) => localStorage.getItem(key),
      set(key, value) {
        try {
          localStorage.setItem(key, value)
        } catch {}
      },
      remove: (key) => localStorage.removeItem(key),
      keys: () => Object.keys(localStorage),
    }
  } catch {
    return createMemoryKV()
  }
}
