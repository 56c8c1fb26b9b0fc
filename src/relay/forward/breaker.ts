/**
 * The longest default step between probes. A probe costs one call, and the
 * step is how long a recovered eSputnik waits for the backlog, so the steps
 * stop growing far sooner than one event's retries (5 min): after a 3-minute
 * outage the drain began ~100 s after recovery with 5 min steps.
 */
export const BREAKER_MAX_STEP_MS = 30_000

/**
 * The forwarder's shared circuit breaker. After `threshold` retryable
 * failures in a row nothing is sent but one probe per backoff step (full
 * jitter, `baseMs` doubling up to `maxMs`); the first answer closes it. One
 * breaker for every operation (they all go to one eSputnik), so a long outage
 * costs a probe per step instead of a failing call per job per retry.
 */
export interface Breaker {
  readonly isOpen: boolean
  /** The breaker is open and no probe is running: hold this call back. */
  holds(): boolean
  /** A retryable failure (429, 408, 5xx, timeout, reset). */
  failed(): void
  /** eSputnik answered (2xx, or a 4xx that is the event's fault). True when this answer closed the breaker. */
  answered(): boolean
  /** Milliseconds until the next probe may go; 0 when it may go now. */
  waitMs(): number
  /** Runs the probe; if the breaker is still open afterwards, the next step starts. */
  probe<T>(run: () => Promise<T>): Promise<T>
}

export interface BreakerOptions {
  threshold: number
  baseMs: number
  maxMs: number
  now: () => number
  random: () => number
  /** Called once each time the breaker opens. */
  onOpen: (failures: number) => void
}

export function createBreaker(o: BreakerOptions): Breaker {
  let failures = 0
  let isOpen = false
  let isProbing = false
  let step = 0
  let probeAt = 0
  const nextProbe = () => (probeAt = o.now() + o.random() * Math.min(o.maxMs, o.baseMs * 2 ** step))

  return {
    get isOpen() {
      return isOpen
    },
    holds: () => isOpen && !isProbing,
    failed() {
      failures++
      if (isOpen || failures < o.threshold) return
      isOpen = true
      step = 0
      nextProbe()
      o.onOpen(failures)
    },
    answered() {
      failures = 0
      if (!isOpen) return false
      isOpen = false
      step = 0
      return true
    },
    waitMs: () => Math.max(0, probeAt - o.now()),
    async probe(run) {
      isProbing = true
      try {
        return await run()
      } finally {
        isProbing = false
        if (isOpen) step++, nextProbe()
      }
    },
  }
}
