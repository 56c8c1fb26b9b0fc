import type { IdentifyRequest, PATHS, SubscribeRequest, WireEvent } from '../wire/types.js'
import type { ResolvedOptions } from './options.js'
import type { KV } from './storage.js'

/** A subscribe or identify as stored; the sender adds the visitor. */
export type RequestBody = Omit<SubscribeRequest, 'visitor'> | Omit<IdentifyRequest, 'visitor'>

/** Where a stored item is posted: the event batch path, subscribe or identify. */
export type ItemKind = keyof typeof PATHS

/** One undelivered thing. Short keys: every byte is kept in the visitor's localStorage. */
export interface Item {
  k: ItemKind
  /** The visitor at the time of the call (a reset() later must not move it). */
  v: string
  b: WireEvent | RequestBody
  /** Created: ms since the epoch, plus a fraction that orders calls made in the same ms. */
  c: number
  /** Leased until (ms): a tab is sending it. */
  l: number
}

export interface Queue {
  add(item: Item): void
  /**
   * Leases and returns the next group to send: the oldest free item and, for
   * events, the free events of the same visitor after it, up to `batchSize`
   * and about `bytes`. Drops the oldest items while the queue is over its caps.
   */
  take(now: number, bytes: number): Item[]
  /** Delivered, or refused for good. */
  remove(items: Item[]): void
  /** Not delivered: free for the next try. */
  release(items: Item[]): void
  clear(): void
}

const PREFIX = 'esputnik:q:'
/** Longer than a request normally takes; what a tab that died while sending had leased waits this long. */
export const LEASE = 30e3

/** Exponential from 1 s to 5 min, with jitter so a recovered relay is not hit by every visitor at once. */
export const backoff = (failures: number): number => Math.min(300e3, 1000 * 2 ** failures) * (0.5 + Math.random() / 2)

/**
 * A queue kept as one localStorage key per item, so two tabs adding at once
 * never overwrite each other's list (segmentio/localstorage-retry#27 lost and
 * multiplied events by sharing one key).
 */
export function createQueue(
  kv: KV,
  { maxQueueEvents, maxQueueBytes, batchSize }: ResolvedOptions,
  debug: (...args: unknown[]) => void,
): Queue {
  const keyOf = (item: Item) => PREFIX + item.b.id
  const save = (item: Item) => kv.set(keyOf(item), JSON.stringify(item))
  const remove = (items: Item[]) => items.forEach((item) => kv.remove(keyOf(item)))

  /** Every stored item with its size, oldest first. */
  const load = () =>
    kv
      .keys()
      .filter((key) => key.startsWith(PREFIX))
      .map((key): [Item, number] => [JSON.parse(kv.get(key)!), kv.get(key)!.length])
      .sort(([a], [b]) => a.c - b.c)

  return {
    add: save,
    remove,
    release: (items) => items.forEach((item) => kv.get(keyOf(item)) && save({ ...item, l: 0 })),
    take(now, bytes) {
      const all = load()
      const taken: Item[] = []
      let total = all.reduce((sum, [, size]) => sum + size, 0)
      let size = 0
      all.forEach(([item, n], i) => {
        const first = taken[0]
        if (all.length - i > maxQueueEvents || total > maxQueueBytes) {
          debug('queue full, dropped', item.b)
          remove([item])
          total -= n
        } else if (
          item.l < now &&
          taken.length < batchSize &&
          // A group is one subscribe or identify, or one visitor's events.
          (!first || (first.k == 'events' && item.k == first.k && item.v == first.v && size + n < bytes))
        ) {
          save({ ...item, l: now + LEASE })
          taken.push(item)
          size += n
        }
      })
      return taken
    },
    clear: () => remove(load().map(([item]) => item)),
  }
}
