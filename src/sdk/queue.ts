import type { ResolvedOptions } from './options.js'
import type { KV } from './storage.js'

/** What a stored request is, and where it goes: `/v1/` + kind (wire PATHS): an event batch (`e`), a subscribe or an identify. */
export type RequestKind = 'e' | 'subscribe' | 'identify'

/**
 * One undelivered request, as stored. Short keys: it lives in the visitor's
 * localStorage, and a record one version wrote is read by the next, so the
 * keys never change (rollup.config.mjs keeps the minifier off them).
 */
export interface Stored {
  /** Where it goes. */
  p: RequestKind
  /** The JSON body, built when it was stored. */
  b: string
  /** How many events it holds (caps count events, not requests). */
  n: number
  /** Created (ms, with a fraction that orders what one tab stores in the same ms). */
  c: number
  /** Leased until (ms): a tab is sending it. */
  l: number
  /** Failed attempts so far (408, 429, 5xx, network), across page loads; absent before the first. */
  f?: number
}

export interface Queue {
  /** Stores a request until it is delivered or refused. */
  keep(p: RequestKind, body: string, events: number): void
  /**
   * The oldest free request with its key, leased so no other tab sends it
   * meanwhile; null when all are leased, undefined when none is stored.
   * Drops the oldest requests while the queue holds more than
   * `maxQueueEvents` events or `maxQueueBytes` bytes.
   */
  claim(now: number): [string, Stored] | null | undefined
  /** Delivered, or refused for good: forgotten. */
  settle(key: string): void
  /** Not delivered: stored as `stored` (its failure count), free at once for the next try, which the backoff or `online` times. */
  unlease(key: string, stored: Stored): void
  /** Forgets every stored request (consent withdrawn). */
  wipe(): void
}

const PREFIX = 'esputnik:q:'
/**
 * Longer than a request normally takes. A request that a closed tab sent as
 * it left (a beacon or keepalive fetch whose answer nobody read) waits this
 * long before another page sends it again.
 */
export const LEASE = 5e3

/** The longest wait between two tries. */
export const MAX_BACKOFF = 300e3

/**
 * The wait after the `failures`-th failure in a row: 2 s, 4 s, 8 s … up to
 * 5 min, each time between half of it and all of it (jitter), so a recovered
 * relay is not hit by every visitor at once.
 */
export function backoff(failures: number): number {
  const ceiling = Math.min(MAX_BACKOFF, 1000 * 2 ** failures)
  return ceiling * (0.5 + Math.random() / 2)
}

/**
 * Undelivered requests, one localStorage key each: every key is written by
 * the tab that made it and removed by the tab that delivered it, so two tabs
 * never overwrite each other's list (segmentio/localstorage-retry#27 lost and
 * multiplied events by sharing one key).
 */
export function createQueue(
  kv: KV,
  { maxQueueEvents, maxQueueBytes }: ResolvedOptions,
  debug: (...args: unknown[]) => void,
): Queue {
  let order = 0
  const save = (key: string, stored: Stored) => kv.set(key, JSON.stringify(stored))

  /** Every stored request, oldest first. */
  const load = () =>
    kv
      .keys()
      .filter((key) => key.startsWith(PREFIX))
      .map((key): [string, Stored] => [key, JSON.parse(kv.get(key)!)])
      .sort(([, a], [, b]) => a.c - b.c)

  return {
    keep(p, b, n) {
      const c = Date.now() + order++ / 1e4
      save(PREFIX + c + Math.random(), { p, b, n, c, l: 0 })
    },
    claim(now) {
      let events = 0
      let bytes = 0
      let free: [string, Stored] | undefined
      let leased: null | undefined
      // From the newest, so what goes over the caps is the oldest, and the
      // last free one met is the oldest free one.
      for (const [key, stored] of load().reverse()) {
        events += stored.n
        bytes += stored.b.length
        if (events > maxQueueEvents || bytes > maxQueueBytes) {
          debug('dropped')
          kv.remove(key)
        } else if (stored.l < now) {
          free = [key, stored]
        } else {
          leased = null
        }
      }
      if (free) save(free[0], { ...free[1], l: now + LEASE })
      return free ?? leased
    },
    settle(key) {
      kv.remove(key)
    },
    unlease(key, stored) {
      // Another tab may have delivered it meanwhile (its lease ran out).
      if (kv.get(key)) save(key, { ...stored, l: 0 })
    },
    wipe() {
      for (const [key] of load()) kv.remove(key)
    },
  }
}
