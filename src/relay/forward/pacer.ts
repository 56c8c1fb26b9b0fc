import { oneAtATime } from './one-at-a-time.js'

/**
 * Paces upstream calls so that no window of one second ever holds more than
 * `ratePerSec` of them, where eSputnik receives them, whatever the backlog and
 * whatever the network does to each call's delay.
 *
 * A classic token bucket with a burst of `ratePerSec` does not give that: a
 * full bucket spent at the end of one second plus a refill at the start of
 * the next puts twice the rate into the window between. Nor does capping call
 * *starts*: a call arrives some time after it starts, and that delay varies,
 * so calls that started evenly can bunch at the receiver. So three rules hold:
 * - a hard cap on ends: `take` hands out a `done` callback, called when the
 *   call has ended (answer, error or timeout); the end times of the last
 *   `ratePerSec` calls are kept, and a call starts only when the call
 *   `ratePerSec` calls back has ended at least one window ago. That call was
 *   received before it ended, and the new one is received after it starts, so
 *   no window at the receiver holds more than `ratePerSec`, whatever the jitter.
 *   (The cost: each window grows by about one call's latency.)
 * - an even pace: calls are scheduled one interval apart, so they do not all
 *   go at the start of a window. A late timer may be caught up, by a few slots
 *   at most, so the pace stays close to the rate instead of drifting below it.
 * - a start delay: no call starts until one window after the pacer was
 *   created, so a restarted relay cannot add its first second to the last
 *   second of the process it replaced.
 * The window is 1 s plus `guardMs`, which absorbs the difference between our
 * clock and the receiver's.
 */

export interface PacerOptions {
  ratePerSec: number
  guardMs?: number
  /** No call starts before this long after creation; one window (1 s + guard) unless set. */
  startDelayMs?: number
  now?: () => number
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>
}

/** Call when the call has ended (answered, failed or timed out), or at once if no call was made. Idempotent. */
export type PacerDone = () => void

export interface Pacer {
  /** Resolves when the next call may start; rejects with the signal's reason when aborted. */
  take(signal: AbortSignal): Promise<PacerDone>
  readonly intervalMs: number
}

export const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason)
    const timer = setTimeout(done, ms)
    function done() {
      signal?.removeEventListener('abort', abort)
      resolve()
    }
    function abort() {
      clearTimeout(timer)
      reject(signal!.reason)
    }
    signal?.addEventListener('abort', abort, { once: true })
  })

/** Resolves when `promise` does, or rejects with the signal's reason when aborted first. */
function untilAborted(promise: Promise<void>, signal: AbortSignal) {
  return new Promise<void>((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason)
    const abort = () => reject(signal.reason)
    signal.addEventListener('abort', abort, { once: true })
    promise.then(() => {
      signal.removeEventListener('abort', abort)
      resolve()
    })
  })
}

export function createPacer(options: PacerOptions): Pacer {
  const now = options.now ?? (() => performance.now())
  const wait = options.sleep ?? sleep
  const rate = options.ratePerSec
  const windowMs = 1000 + (options.guardMs ?? 0)
  const intervalMs = windowMs / rate
  const catchUp = Math.max(1, Math.floor(rate / 50)) * intervalMs
  // Ring of the last `rate` calls: ends[head] is the oldest. A call still in
  // flight has no end yet (Infinity) and `settled[i]` resolves when it ends.
  // Filled as if `rate` calls had ended one window before the start delay is over.
  const startAt = now() + (options.startDelayMs ?? windowMs)
  const ends = new Array<number>(rate).fill(startAt - windowMs)
  const settled = new Array<Promise<void> | undefined>(rate)
  let head = 0
  let slot = -Infinity

  async function next(signal: AbortSignal): Promise<PacerDone> {
    for (;;) {
      if (signal.aborted) throw signal.reason
      const pending = settled[head]
      if (pending) {
        await untilAborted(pending, signal)
        continue
      }
      const t = now()
      const earliest = Math.max(slot + intervalMs, ends[head]! + windowMs)
      if (t >= earliest) {
        slot = Math.max(slot + intervalMs, t - catchUp)
        const i = head
        head = (head + 1) % rate
        ends[i] = Infinity
        let finish!: () => void
        settled[i] = new Promise<void>((resolve) => (finish = resolve))
        let called = false
        return () => {
          if (called) return
          called = true
          ends[i] = now()
          settled[i] = undefined
          finish()
        }
      }
      await wait(earliest - t, signal)
    }
  }

  return {
    intervalMs,
    take: oneAtATime(next),
  }
}
