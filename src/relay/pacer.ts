/**
 * Paces upstream calls so that no window of one second ever holds more than
 * `ratePerSec` of them, whatever the backlog.
 *
 * A classic token bucket with a burst of `ratePerSec` does not give that: a
 * full bucket spent at the end of one second plus a refill at the start of
 * the next puts twice the rate into the window between. So two rules hold:
 * - a hard cap: the start times of the last `ratePerSec` calls are kept, and
 *   a call starts only when the oldest of them left the window;
 * - an even pace: calls are scheduled one interval apart, so they do not all
 *   go at the start of a window. A late timer may be caught up, by a few slots
 *   at most, so the pace stays close to the rate instead of drifting below it.
 * The window is 1 s plus `guardMs`, which absorbs the jitter between our clock
 * and the receiver's, so the cap also holds where eSputnik counts.
 */

export interface PacerOptions {
  ratePerSec: number
  guardMs?: number
  now?: () => number
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>
}

export interface Pacer {
  /** Resolves when the next call may start; rejects with the signal's reason when aborted. */
  take(signal: AbortSignal): Promise<void>
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

export function createPacer(options: PacerOptions): Pacer {
  const now = options.now ?? (() => performance.now())
  const wait = options.sleep ?? sleep
  const rate = options.ratePerSec
  const windowMs = 1000 + (options.guardMs ?? 0)
  const intervalMs = windowMs / rate
  const catchUp = Math.max(1, Math.floor(rate / 50)) * intervalMs
  const starts = new Array<number>(rate).fill(-Infinity) // ring: starts[head] is the oldest
  let head = 0
  let slot = -Infinity
  // Callers queue on this chain, so two of them never get the same slot.
  let chain: Promise<void> = Promise.resolve()

  async function next(signal: AbortSignal) {
    for (;;) {
      if (signal.aborted) throw signal.reason
      const t = now()
      const earliest = Math.max(slot + intervalMs, starts[head]! + windowMs)
      if (t >= earliest) {
        slot = Math.max(slot + intervalMs, t - catchUp)
        starts[head] = t
        head = (head + 1) % rate
        return
      }
      await wait(earliest - t, signal)
    }
  }

  return {
    intervalMs,
    take(signal) {
      const turn = chain.then(() => next(signal))
      chain = turn.catch(() => undefined)
      return turn
    },
  }
}
