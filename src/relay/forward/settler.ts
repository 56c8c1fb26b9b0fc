import type { RelayMetrics } from '../ops/metrics.js'
import type { Settlement, Store } from '../store/types.js'

export interface SettlerLog {
  info(fields: object, message: string): void
  error(fields: object, message: string): void
}

/**
 * Writes the forwarder's outcomes to the store: everything settled in one
 * event-loop turn goes in one transaction. After a settlement that closed the
 * circuit breaker, it also makes every event waiting for a retry due — once
 * that answer is written, so no retry settled before it is missed.
 */
export interface Settler {
  settle(settlement: Settlement): void
  /** At the next write: every event waiting for a retry becomes due now. */
  retryAllAfterWrite(): void
  /** Writes what is pending now; resolves when it is written. */
  drain(): Promise<void>
}

export function createSettler(o: {
  store: Store
  metrics: RelayMetrics
  log: SettlerLog
  now: () => number
  /** After each write: a settled job may free the next of a visitor's replay, or a link may have queued history. */
  written: () => void
}): Settler {
  let pending: Settlement[] = []
  let retryAll = false
  let writing: Promise<void> | undefined

  const schedule = () => {
    writing ??= new Promise<void>((resolve) => setImmediate(resolve)).then(write)
  }

  async function write() {
    while (pending.length || retryAll) {
      const list = pending
      pending = []
      try {
        if (list.length) {
          const { linked, released } = await o.store.settle(list)
          o.metrics.links.inc({ source: 'subscribe' }, linked)
          if (released) o.log.info({ released }, 'held events queued for replay after a subscribe')
        }
      } catch (err) {
        o.log.error({ err }, 'could not record upstream results; those events are sent again when their lease ends')
      }
      if (retryAll) {
        retryAll = false
        try {
          const due = await o.store.retryNow(o.now())
          if (due) o.log.info({ due }, 'events waiting for a retry made due after the outage')
        } catch (err) {
          o.log.error({ err }, 'could not make retries due; they go at their own times')
        }
      }
    }
    writing = undefined
    o.written()
  }

  return {
    settle(settlement) {
      pending.push(settlement)
      schedule()
    },
    retryAllAfterWrite() {
      retryAll = true
      schedule()
    },
    async drain() {
      if (pending.length || retryAll) writing ??= write()
      await writing
    },
  }
}
