import type { IdentifyRequest, PATHS, SubscribeRequest, WireEvent } from '../wire/types.js'
import type { Log } from './log.js'
import type { KV } from './storage.js'

/** Where a stored item is posted: the event batch path, subscribe or identify. */
export type ItemKind = keyof typeof PATHS

/** One undelivered thing. Short keys: every byte is kept in the visitor's localStorage. */
export interface Item {
  k: ItemKind
  /** The visitor at the time of the call (a reset() later must not move it). */
  v: string
  b: WireEvent | SubscribeRequest | IdentifyRequest
  /** Created (ms), and an order among items created in the same ms. */
  c: number
  o: number
  /** Attempts so far, not before (ms), leased until (ms). */
  n: number
  t: number
  l: number
}

export interface Queue {
  add(item: Item): void
  /**
   * Leases and returns the next group to send: the oldest due item and, for
   * events, the due events of the same visitor right after it, up to `count`
   * and about `bytes`. Drops what is too old or over the caps on the way.
   */
  take(now: number, count: number, bytes: number): Item[]
  /** Delivered (or refused for good): gone. */
  remove(items: Item[]): void
  /** Not delivered: back off and try again. */
  retry(items: Item[], now: number): void
  /** When the next item may be sent (ms), or undefined when nothing waits. */
  next(): number | undefined
  clear(): void
}

const PREFIX = 'esputnik:q:'
/** The relay dedups for 7 days; a resend after that could be counted twice. */
export const MAX_AGE = 7 * 864e5
/** Longer than a request may take (the transport gives up after 20 s). */
export const LEASE = 30e3

/** Exponential from 1 s to 5 min, with jitter so a recovered relay is not hit by every visitor at once. */
export const backoff = (attempts: number): number => Math.min(300e3, 1000 * 2 ** attempts) * (0.5 + Math.random() / 2)

/**
 * A queue kept as one localStorage key per item, so two tabs adding at once
 * never overwrite each other's list (segmentio/localstorage-retry#27 lost and
 * multiplied events by sharing one key).
 */
export function createQueue(kv: KV, maxEvents: number, maxBytes: number, log: Log): Queue {
  const keyOf = (item: Item) => PREFIX + item.b.id
  const save = (item: Item) => kv.set(keyOf(item), JSON.stringify(item))
  const remove = (items: Item[]) => items.forEach((item) => kv.remove(keyOf(item)))

  /** Every stored item with its size, oldest first. */
  const load = () => {
    const all: [Item, number][] = []
    for (const key of kv.keys()) {
      const raw = key.startsWith(PREFIX) && kv.get(key)
      try {
        if (raw) all.push([JSON.parse(raw), raw.length])
      } catch {
        kv.remove(key)
      }
    }
    return all.sort(([a], [b]) => a.c - b.c || a.o - b.o)
  }

  return {
    add: save,
    remove,
    take(now, count, bytes) {
      const all = load()
      const taken: Item[] = []
      let total = all.reduce((sum, [, size]) => sum + size, 0)
      let size = 0
      let isOpen = true
      all.forEach(([item, n], i) => {
        if (item.c < now - MAX_AGE || all.length - i > maxEvents || total > maxBytes) {
          log.debug('dropped (too old or queue full)', item.b)
          remove([item])
          total -= n
        } else if (isOpen && item.t <= now && item.l <= now) {
          const first = taken[0]
          // A group is one subscribe or identify, or a run of one visitor's events.
          isOpen = !first || (first.k == 'events' && item.k == first.k && item.v == first.v && taken.length < count && size + n <= bytes)
          if (!isOpen) return
          item.l = now + LEASE
          save(item)
          taken.push(item)
          size += n
        }
      })
      return taken
    },
    retry(items, now) {
      for (const item of items) {
        if (kv.get(keyOf(item)) == null) continue
        item.n++
        item.t = now + backoff(item.n)
        item.l = 0
        save(item)
      }
    },
    next() {
      const times = load().map(([item]) => Math.max(item.t, item.l))
      return times.length ? Math.min(...times) : undefined
    },
    clear: () => remove(load().map(([item]) => item)),
  }
}
