import { setImmediate as yieldToIo } from 'node:timers/promises'
import { createWaiter } from '../forward/waiter.js'
import type { Store } from './types.js'

export interface PurgerOptions {
  store: Store
  /** Sent events are kept this long after receipt, for dedup. */
  dedupMs: number
  /** Held events of visitors who never linked are kept this long. */
  heldTtlMs: number
  everyMs: number
  /** Rows per delete; small, so ingest never waits long for the write lock. */
  chunk: number
  now?: () => number
  log: { error(obj: object, msg?: string): void }
  /** Told what each pass removed (metrics). */
  onPurged?: (removed: { sent: number; held: number }) => void
}

export interface Purger {
  start(): void
  stop(): Promise<void>
  /** One full pass, chunk by chunk; returns the rows removed. */
  runOnce(): Promise<{ sent: number; held: number }>
}

/**
 * Keeps the database bounded under steady traffic without downtime: sent rows
 * leave once the dedup window has passed, in small deletes with a turn of the
 * event loop between them, so requests keep being served during a big purge.
 */
export function createPurger(o: PurgerOptions): Purger {
  const now = o.now ?? Date.now
  const waiter = createWaiter()
  let stopper = new AbortController()
  let loop: Promise<void> | undefined

  async function runOnce() {
    const total = await purgeAll()
    o.onPurged?.(total)
    return total
  }

  async function purgeAll() {
    const total = { sent: 0, held: 0 }
    const at = now()
    for (;;) {
      const n = await o.store.purge({ sentBefore: at - o.dedupMs, heldBefore: at - o.heldTtlMs, limit: o.chunk })
      total.sent += n.sent
      total.held += n.held
      if (n.sent < o.chunk && n.held < o.chunk) return total
      if (stopper.signal.aborted) return total
      await yieldToIo()
    }
  }

  async function run(signal: AbortSignal) {
    while (!signal.aborted) {
      try {
        await runOnce()
      } catch (err) {
        o.log.error({ err }, 'purge failed; trying again later')
      }
      await waiter.rest(o.everyMs, signal)
    }
  }

  return {
    runOnce,
    start() {
      if (loop) return
      stopper = new AbortController()
      loop = run(stopper.signal)
    },
    async stop() {
      stopper.abort()
      await loop
      loop = undefined
    },
  }
}
