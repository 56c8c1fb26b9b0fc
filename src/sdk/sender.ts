import { PATHS, WIRE_VERSION } from '../wire/types.js'
import type { Item, Queue } from './queue.js'
import { KEEPALIVE_LIMIT, send } from './transport.js'

export interface Sender {
  /**
   * Sends every free item, under a cross-tab lock. Resolves true when all were
   * settled, false when one waits for a retry, null when another tab holds the lock.
   */
  flush(): Promise<boolean | null>
  /** The page may be going away: send what is free at once, without waiting for the lock. */
  leave(): void
}

/** 408, 429, 5xx and network errors are passing trouble; any other 4xx will not get better. */
export const isRetryable = (status: number): boolean => !status || status == 408 || status == 429 || status >= 500

export function createSender(
  endpoint: string,
  queue: Queue,
  report: (method: string, message: string) => void,
  debug: (...args: unknown[]) => void,
): Sender {
  const take = () => queue.take(Date.now(), KEEPALIVE_LIMIT)

  /** Resolves false when the group must be retried. */
  const deliver = async (group: Item[]) => {
    const { k, v, b } = group[0]!
    // The visitor is stamped at send time from the item: one per batch on the wire.
    const body = k == 'events' ? { v: WIRE_VERSION, visitor: v, sent: Date.now(), events: group.map((item) => item.b) } : { ...b, visitor: v }
    const [status, text] = await send(endpoint + PATHS[k], JSON.stringify(body))
    if (isRetryable(status)) {
      debug(k, 'not delivered, will retry', status)
      queue.release(group)
      return false
    }
    // A beacon (-1) gets no answer: the items stay stored and leased, are sent
    // again later, and the relay's dedup on id absorbs the repeat.
    if (status > 0) queue.remove(group)
    if (status >= 300) report(k, `the relay refused it (${status}): ${text}`)
    else {
      try {
        for (const { id, reason } of JSON.parse(text).rejected) report(k, `the relay rejected ${id}: ${reason}`)
      } catch {}
    }
    return true
  }

  const flush = async () => {
    for (let group = take(); group.length; group = take()) if (!(await deliver(group))) return false
    return true
  }

  return {
    // Web Locks where the browser has them: atomic across tabs and released
    // when a tab dies. Elsewhere the localStorage lease on each item (queue.ts)
    // keeps two tabs off the same event, and the relay's dedup absorbs a race.
    flush: () =>
      (navigator.locks?.request('esputnik', { ifAvailable: true }, (lock) => lock && flush()) ?? flush()) as Promise<
        boolean | null
      >,
    leave() {
      for (let group = take(); group.length; group = take()) void deliver(group)
    },
  }
}
