import { sleep, type Pacer, type PacerDone } from './pacer.js'
import { oneAtATime } from './one-at-a-time.js'

/**
 * The pacer of one budget when several relay nodes share it (PostgreSQL):
 * the same rule as pacer.ts, over the slots this node holds of the budget.
 *
 * A budget of `rate` calls a second is `rate` slots (shared-budgets.ts). A
 * call takes a slot; the slot may carry its next call only one window
 * (1 s + guard) after that call has *ended*. A call is received before it
 * ends and the next one after it starts, so each slot puts at most one call
 * into any 1 s at eSputnik, and `rate` slots at most `rate`, whichever nodes
 * hold them and whatever the network does: the in-memory pacer's rule
 * (pacer.ts), cluster-wide. Each slot is held by one node at a time, under a
 * lease in the database; when it changes hands, the time it is free from
 * travels with it. A call starts only when it is received before its slot's
 * lease ends (it starts `timeoutMs` or more before), so a node that dies
 * leaves no call behind that the slot's next holder could overlap.
 *
 * Calls of one node are also spread one interval apart (the window over the
 * slots it holds), so they do not all go at the start of a window.
 */
export interface SlotPacer extends Pacer {
  /** Holds `slot` from now on: free from `freeAt`, calls on it received by `leaseUntil` (this node's clock). */
  grant(slot: number, freeAt: number, leaseUntil: number): void
  /** A held slot's lease was renewed until `leaseUntil`. */
  renew(slot: number, leaseUntil: number): void
  /** No longer held (its lease ran out and another node has it); a call in flight on it just ends. */
  drop(slot: number): void
  /** Slots from `limit` up are no longer the budget's (its rate went down): none of them starts a call. */
  retireFrom(limit: number): void
  /**
   * Gives slots back: every idle retired one, and `count` more idle ones (the
   * ones free the latest). Returns them with when each is free; they are no
   * longer held.
   */
  yieldSlots(count: number): { slot: number; freeAt: number }[]
  /** The numbers of the slots held now. */
  slotIds(): number[]
  /** The slots held now, in flight or not, and of them the usable ones (below the retired limit). */
  held(): { all: number; usable: number }
  /** Since the last call: did a call wait for a slot (rather than for its turn), and how many calls a window it started (at the pace since the last call, or over the last window if that was longer ago). */
  demand(): { hungry: boolean; recentStarts: number }
}

export interface SlotPacerOptions {
  /** 1 s plus the guard (pacer.ts). */
  windowMs: number
  /** UPSTREAM_TIMEOUT_MS: the longest a call can take to be received. */
  timeoutMs: number
  now?: () => number
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>
}

interface Slot {
  freeAt: number
  leaseUntil: number
  busy: boolean
}

export function createSlotPacer(options: SlotPacerOptions): SlotPacer {
  const now = options.now ?? (() => performance.now())
  const wait = options.sleep ?? sleep
  const { windowMs, timeoutMs } = options
  const slots = new Map<number, Slot>()
  const starts: number[] = []
  let limit = Infinity
  let lastStart = -Infinity
  let hungry = false
  let lastDemand = now()
  let changed = signalled()

  function signalled() {
    let fire!: () => void
    const promise = new Promise<void>((resolve) => (fire = resolve))
    return { promise, fire }
  }
  function notify() {
    const current = changed
    changed = signalled()
    current.fire()
  }
  const usable = (n: number, slot: Slot, t: number) => n < limit && !slot.busy && slot.leaseUntil - timeoutMs >= t

  /** The usable slot free the soonest. */
  function pick(t: number): [number, Slot] | undefined {
    let best: [number, Slot] | undefined
    for (const entry of slots) if (usable(entry[0], entry[1], t) && (!best || entry[1].freeAt < best[1].freeAt)) best = entry
    return best
  }

  /** Waits `ms`, or until a slot changes or the signal aborts, whichever comes first; never rejects. */
  function rest(ms: number, signal: AbortSignal) {
    const stop = new AbortController()
    const abort = () => stop.abort(signal.reason)
    signal.addEventListener('abort', abort, { once: true })
    const slept = wait(Math.max(0, ms), stop.signal).catch(() => undefined)
    return Promise.race([slept, changed.promise]).finally(() => {
      signal.removeEventListener('abort', abort)
      stop.abort()
    })
  }

  async function next(signal: AbortSignal): Promise<PacerDone> {
    for (;;) {
      if (signal.aborted) throw signal.reason
      const t = now()
      const found = pick(t)
      if (!found) {
        hungry = true
        // A slot may come with the next tick, or as a call ends; look again at least each window.
        await rest(windowMs, signal)
        continue
      }
      const [n, slot] = found
      const count = Math.max(1, Math.min(limit, slots.size))
      const interval = windowMs / count
      const earliest = Math.max(lastStart + interval, slot.freeAt)
      if (slot.freeAt > t) hungry = true
      if (t >= earliest) {
        // A late timer may be caught up by a few intervals, as in pacer.ts.
        lastStart = Math.max(lastStart + interval, t - Math.max(1, Math.floor(count / 50)) * interval)
        slot.busy = true
        starts.push(t)
        let called = false
        return () => {
          if (called) return
          called = true
          slot.busy = false
          slot.freeAt = now() + windowMs
          if (slots.get(n) !== slot) return
          notify()
        }
      }
      await rest(earliest - t, signal)
    }
  }

  return {
    intervalMs: windowMs,
    take: oneAtATime(next),
    grant(n, freeAt, leaseUntil) {
      slots.set(n, { freeAt, leaseUntil, busy: false })
      notify()
    },
    renew(n, leaseUntil) {
      const slot = slots.get(n)
      if (slot) slot.leaseUntil = leaseUntil
      notify()
    },
    drop(n) {
      slots.delete(n)
    },
    retireFrom(value) {
      limit = value
      notify()
    },
    yieldSlots(count) {
      const idle = [...slots].filter(([, slot]) => !slot.busy)
      const retired = idle.filter(([n]) => n >= limit)
      const rest = idle.filter(([n]) => n < limit).sort((a, b) => b[1].freeAt - a[1].freeAt).slice(0, Math.max(0, count))
      const given = [...retired, ...rest].map(([slot, { freeAt }]) => ({ slot, freeAt }))
      for (const { slot } of given) slots.delete(slot)
      return given
    },
    slotIds: () => [...slots.keys()],
    held() {
      let below = 0
      for (const n of slots.keys()) if (n < limit) below++
      return { all: slots.size, usable: below }
    },
    demand() {
      const t = now()
      while (starts.length && starts[0]! <= t - windowMs) starts.shift()
      // Since the last look, scaled to a window: a node whose work ran out says so at the next tick, not a window later.
      const elapsed = t - lastDemand
      const since = starts.filter((at) => at > lastDemand).length
      const recentStarts = elapsed > 0 && elapsed < windowMs ? Math.ceil((since * windowMs) / elapsed) : starts.length
      const result = { hungry, recentStarts }
      hungry = false
      lastDemand = t
      return result
    },
  }
}
