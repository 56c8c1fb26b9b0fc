import { EVENT_TYPES } from '../wire/types.js'
import type { Queue, Stored } from './queue.js'
import { reasonOf, send } from './transport.js'
import type { TrackerError, TrackerMethod } from './types.js'

export interface Sender {
  /**
   * Sends every free request, under a cross-tab lock. Resolves undefined when
   * all were settled, null when another tab holds the lock or a lease (try
   * again soon), and the reason (`HTTP 503`, `network error`) when one failed
   * and waits for a retry.
   */
  drain(): Promise<string | null | undefined>
  /** The page may be going away: send at once, without waiting for the lock. */
  leave(): Promise<unknown>
}

/**
 * After this many failed attempts in a row of one request (counted across
 * page loads), its delivery is reported as failing: once per page, and again
 * on the same page after a delivery has gone through.
 */
export const REPORT_AFTER = 3

export function createSender(
  endpoint: string,
  queue: Queue,
  report: (error: TrackerError) => void,
  debug: (...args: unknown[]) => void,
): Sender {
  /** Whether this page has said that delivery keeps failing (since the last delivery that went through). */
  let isFailureReported = false

  /** Resolves the reason when the request must be retried. */
  const deliver = async ([key, stored]: [string, Stored]) => {
    const [status, answer] = await send(`${endpoint}/v1/${stored.p}`, stored.b)
    // A beacon (-1) gets no answer: the request stays stored and leased, is
    // sent again later, and the relay's dedup on event id absorbs the repeat.
    if (status < 0) return
    // What it carries, for onError: a batch's events, or the one subscribe or identify.
    const body = JSON.parse(stored.b)
    const items: { type: string; id: string }[] = body.events || [{ type: stored.p, id: body.id }]
    // 408, 429, 5xx and network errors (0) are passing trouble; any other 4xx will not get better.
    if (!status || status == 408 || status == 429 || status >= 500) {
      const reason = reasonOf(status)
      const failures = (stored.f || 0) + 1
      queue.unlease(key, { ...stored, f: failures })
      if (failures >= REPORT_AFTER && !isFailureReported) {
        isFailureReported = true
        report({ method: 'send', reason, ids: items.map((item) => item.id) })
      }
      return reason
    }
    queue.settle(key)
    isFailureReported = false
    // A refusal of the whole request refuses each thing in it; a batch the
    // relay took names the events it refused, each with its reason.
    for (const { type, id } of items) {
      const reason = status < 300 ? answer.rejected?.find((refused) => refused.id == id)?.reason : reasonOf(status, answer.error)
      // Named by the helper that made it: a subscribe or an identify, one of
      // the seven by its type, `purchased` for the order event, `track` for any other.
      if (reason) {
        report({
          method: (stored.p != 'e' || (EVENT_TYPES as readonly string[]).includes(type)
            ? type
            : type == 'orderCreated'
              ? 'purchased'
              : 'track') as TrackerMethod,
          id,
          reason,
        })
      }
    }
  }

  const flush = async () => {
    let next
    while ((next = queue.claim(Date.now()))) {
      const failure = await deliver(next)
      if (failure) return failure
    }
    // null: what is left is leased by a page that is sending it, or left it.
    return next
  }

  return {
    // Web Locks where the browser has them: atomic across tabs and released
    // when a tab dies. Elsewhere the localStorage lease on each request
    // (queue.ts) keeps two tabs off the same one, and the relay's dedup
    // absorbs a race.
    drain() {
      return (navigator.locks?.request('esputnik', { ifAvailable: true }, (lock) => (lock ? flush() : null)) ??
        flush()) as Promise<string | null | undefined>
    },
    // Runs to its first await at once, so the oldest free request (usually
    // what the page has just stored) leaves before the page does; the rest
    // follow if the page lives on (it was only hidden), else next load.
    leave: flush,
  }
}
