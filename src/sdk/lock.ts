import type { KV } from './storage.js'

/** Runs `task` unless another tab is running it; then does nothing (the next flush will try again). */
export type Lock = (task: () => Promise<void>) => Promise<void>

const NAME = 'esputnik:lock'
/** A lease longer than any flush; a tab that died holding it is forgotten after this. */
const LEASE = 60e3

/**
 * Web Locks where the browser has them: atomic across tabs and processes,
 * released when the tab dies. Elsewhere a localStorage lease, best effort:
 * the relay's dedup on event id absorbs what slips through.
 */
export function createLock(kv: KV, tabId: string, now: () => number): Lock {
  const locks = typeof navigator != 'undefined' ? navigator.locks : undefined
  if (locks?.request) {
    return async (task) => {
      await locks.request(NAME, { ifAvailable: true }, (lock) => lock && task())
    }
  }
  return async (task) => {
    const [owner, until] = (kv.get(NAME) ?? '').split(' ')
    if (owner != tabId && Number(until) > now()) return
    kv.set(NAME, `${tabId} ${now() + LEASE}`)
    if (kv.get(NAME)?.split(' ')[0] != tabId) return
    try {
      await task()
    } finally {
      kv.remove(NAME)
    }
  }
}
