import type { Queue, Stored } from './queue.js'
import { send } from './transport.js'

export interface Sender {
  /**
   * Sends every free request, under a cross-tab lock. Resolves undefined when
   * all were settled, false when one waits for a retry, null when another tab
   * holds the lock or a lease: try again soon.
   */
  flush(): Promise<false | null | undefined>
  /** The page may be going away: send at once, without waiting for the lock. */
  leave(): Promise<unknown>
}


export function createSender(
  endpoint: string,
  queue: Queue,
  report: (method: string, message: string) => void,
  debug: (...args: unknown[]) => void,
): Sender {
  const take = () => queue.take(Date.now())

  /** Resolves false when the request must be retried. */
  const deliver = async ([key, stored]: [string, Stored]) => {
    const [status, text] = await send(`${endpoint}/v1/${stored.p}`, stored.b)
    // 408, 429, 5xx and network errors are passing trouble; any other 4xx
    // will not get better.
    if (!status || status == 408 || status == 429 || status >= 500) {
      debug(stored.p, status, 'retry')
      queue.release(key, stored)
      return false
    }
    // A beacon (-1) gets no answer: the request stays stored and leased, is
    // sent again later, and the relay's dedup on event id absorbs the repeat.
    if (status > 0) queue.remove(key)
    // A refusal, or a batch the relay took with some events rejected: the
    // relay's answer names each one and why.
    if (status >= 300 || text.includes('"reason"')) report(stored.p, `${status} ${text}`)
    return true
  }

  const flush = async () => {
    let next
    while ((next = take())) if (!(await deliver(next))) return false
    // null: what is left is leased by a page that is sending it, or left it.
    return next as null | undefined
  }

  return {
    // Web Locks where the browser has them: atomic across tabs and released
    // when a tab dies. Elsewhere the localStorage lease on each request
    // (queue.ts) keeps two tabs off the same one, and the relay's dedup
    // absorbs a race.
    flush: () =>
      (navigator.locks?.request('esputnik', { ifAvailable: true }, (lock) => lock && flush()) ?? flush()) as Promise<
        false | null | undefined
      >,
    // Runs to its first await at once, so the oldest free request (usually
    // what the page has just stored) leaves before the page does; the rest
    // follow if the page lives on (it was only hidden), else next load.
    leave: flush,
  }
}
