import { PATHS, WIRE_VERSION } from '../wire/types.js'
import type { Lock } from './lock.js'
import type { Log } from './log.js'
import type { Item, Queue } from './queue.js'
import { KEEPALIVE_LIMIT, send } from './transport.js'

export interface Sender {
  /** Sends every due item under the cross-tab lock; resolves when the relay has answered. */
  flush(): Promise<void>
  /** The page may be going away: send what is due at once, without waiting for the lock. */
  flushOnLeave(): void
}

export interface SenderOptions {
  endpoint: string
  batchSize: number
  queue: Queue
  lock: Lock
  log: Log
  now: () => number
}

/** 408, 429, 5xx and network errors are passing trouble; any other 4xx will not get better. */
export const isRetryable = (status: number): boolean => !status || status == 408 || status == 429 || status >= 500

export function createSender({ endpoint, batchSize, queue, lock, log, now }: SenderOptions): Sender {
  const take = () => queue.take(now(), batchSize, KEEPALIVE_LIMIT)

  /** Resolves false when the group waits for a retry. */
  const deliver = async (group: Item[]) => {
    const { k, v, b } = group[0]!
    const body = k == 'events' ? { v: WIRE_VERSION, visitor: v, sent: now(), events: group.map((item) => item.b) } : b
    const { status, text } = await send(endpoint + PATHS[k], JSON.stringify(body))
    if (isRetryable(status)) {
      log.debug(k, 'not delivered, will retry', status)
      queue.retry(group, now())
      return false
    }
    // A beacon (-1) gets no answer: the items stay stored and leased, are sent
    // again later, and the relay's dedup on id absorbs the repeat.
    if (status > 0) queue.remove(group)
    if (status >= 300) log.error(k, `the relay refused it (${status}): ${text}`)
    else {
      try {
        for (const { id, reason } of JSON.parse(text).rejected) log.error(k, `the relay rejected ${id}: ${reason}`)
      } catch {}
    }
    return true
  }

  return {
    flush: () =>
      lock(async () => {
        for (let group = take(); group.length && (await deliver(group)); group = take());
      }),
    flushOnLeave() {
      for (let group = take(); group.length; group = take()) void deliver(group)
    },
  }
}
