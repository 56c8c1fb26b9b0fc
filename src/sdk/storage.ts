/** The small key-value store the queue, the cart and the consent choice live in. */
export interface KV {
  get(key: string): string | null
  set(key: string, value: string): void
  remove(key: string): void
  keys(): string[]
}

const PROBE = 'esputnik:probe'

/**
 * localStorage where it works. A value it refuses (quota full, storage
 * blocked, Safari private mode) is kept in memory instead, so this page still
 * sends it. Every call is guarded: a browser may throw on any of them.
 */
export function createStorage(): KV {
  const memory: Record<string, string> = {}
  let ls: Storage | undefined
  try {
    ;(ls = localStorage).setItem(PROBE, PROBE)
    ls.removeItem(PROBE)
  } catch {
    ls = undefined
  }
  return {
    get(key) {
      try {
        return memory[key] ?? ls!.getItem(key)
      } catch {
        return null
      }
    },
    set(key, value) {
      try {
        ls!.setItem(key, value)
        delete memory[key]
      } catch {
        memory[key] = value
      }
    },
    remove(key) {
      delete memory[key]
      try {
        ls!.removeItem(key)
      } catch {}
    },
    keys() {
      const keys = Object.keys(memory)
      try {
        for (let i = 0; i < ls!.length; i++) keys.push(ls!.key(i)!)
      } catch {}
      return [...new Set(keys)]
    },
  }
}
