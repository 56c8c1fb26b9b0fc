import { prepareDelivery, jobType, type Delivered } from './deliver.js'
import { BREAKER_MAX_STEP_MS, createBreaker } from './breaker.js'
import { createSettler } from './settler.js'
import { UpstreamError } from './esputnik/errors.js'
import type { EsputnikClient } from './esputnik/client.js'
import type { RelayMetrics } from './metrics.js'
import { createPacer } from './pacer.js'
import { createWaiter } from './waiter.js'
import type { Job, Store } from './store/types.js'

export interface ForwarderLog {
  info(obj: object, msg?: string): void
  error(obj: object, msg?: string): void
}

export interface ForwarderOptions {
  store: Store
  client: EsputnikClient
  metrics: RelayMetrics
  log: ForwarderLog
  /** Generate event calls per second (eSputnik allows 350). */
  ratePerSec: number
  /** Subscribe contact calls per second, paced apart from events: eSputnik allows 200 for this method. */
  subscribeRatePerSec: number
  concurrency: number
  claimBatch: number
  leaseMs: number
  idlePollMs: number
  retryBaseMs: number
  retryMaxMs: number
  retryForMs: number
  authPauseMs: number
  /** Held events received longer ago than this are not replayed when a subscribe links their visitor. */
  heldTtlMs: number
  /** Add `occurredAt` to replayed history. */
  replayOccurredAt: boolean
  rateGuardMs?: number
  /** No call starts before this long after creation (default one pace window, 1 s + guard). */
  startDelayMs?: number
  /** Retryable failures in a row, with no success between, that open the breaker (default 20). */
  breakerThreshold?: number
  /** While the breaker is open, one probe call per step, full-jitter backoff from base to max (default: retryBaseMs → retryMaxMs, at most BREAKER_MAX_STEP_MS). */
  breakerBaseMs?: number
  breakerMaxMs?: number
  now?: () => number
  random?: () => number
}

export interface Forwarder {
  start(): void
  /** Stops claiming, lets the calls in flight finish and records their results. */
  stop(): Promise<void>
  /** New work was queued: stop idling. */
  wake(): void
  /** Set while eSputnik refuses the API key. */
  pausedUntil(): number | undefined
}

/**
 * Claims due jobs, sends each as one call (Generate event v2, or Subscribe
 * contact) within its method's pace and the concurrency bound, and records the
 * outcome; a subscribe's success links its visitor in the same commit:
 * 2xx sent; 429/408/5xx/timeout/reset retried with full-jitter backoff until
 * `retryForMs` after queueing; other 4xx dead letters; 401/403 pause everything
 * (nothing is dropped) until `authPauseMs` has passed. After a run of
 * retryable failures a shared breaker stops all sending but one probe per
 * backoff step; the first answer makes every waiting retry due at once.
 */
export function createForwarder(o: ForwarderOptions): Forwarder {
  const now = o.now ?? Date.now
  const random = o.random ?? Math.random
  const pace = (ratePerSec: number) => createPacer({ ratePerSec, guardMs: o.rateGuardMs, startDelayMs: o.startDelayMs })
  const pacers = { event: pace(o.ratePerSec), subscribe: pace(o.subscribeRatePerSec) }
  // Claim no more than can be sent within half a lease, so no lease expires while its job waits its turn.
  const claimLimit = Math.max(1, Math.min(o.claimBatch, Math.floor((o.ratePerSec * o.leaseMs) / 2000)))
  const inflight = new Set<Promise<void>>()
  const waiter = createWaiter()
  let stopper = new AbortController()
  let loop: Promise<void> | undefined
  let paused = 0
  const breaker = createBreaker({
    threshold: o.breakerThreshold ?? 20,
    baseMs: o.breakerBaseMs ?? o.retryBaseMs,
    maxMs: o.breakerMaxMs ?? Math.min(o.retryMaxMs, BREAKER_MAX_STEP_MS),
    now,
    random,
    onOpen: (failures) => o.log.error({ failures }, 'eSputnik keeps failing; one probe call per backoff step until it answers'),
  })
  const settler = createSettler({ store: o.store, metrics: o.metrics, log: o.log, now, written: () => waiter.wake() })
  const settle = settler.settle
  function answered() {
    if (!breaker.answered()) return
    settler.retryAllAfterWrite()
    o.log.info({}, 'eSputnik answers again; events waiting for a retry are due now')
  }

  const isPaused = () => paused > now()

  function pause(error: UpstreamError) {
    if (isPaused()) return
    paused = now() + o.authPauseMs
    o.metrics.paused.set(1)
    o.log.error(
      { status: error.status, resumeAt: new Date(paused).toISOString() },
      `eSputnik refused the API key (${error.status}); forwarding paused for ${Math.round(o.authPauseMs / 1000)} s, nothing is dropped. Check ESPUTNIK_API_KEY and its scopes`,
    )
  }

  function kill(job: Job, reason: string, status: number | undefined, why: 'mapping' | 'upstream' | 'expired') {
    if (job.kind == 'subscribe') o.metrics.subscribesDead.inc()
    else o.metrics.dead.inc({ reason: why })
    o.log.error({ id: job.id, type: jobType(job), status, reason }, `${job.kind} moved to dead letters`)
    settle({ id: job.id, outcome: 'dead', at: now(), reason, status })
  }

  function retry(job: Job, error: UpstreamError) {
    const ceiling = Math.min(o.retryMaxMs, o.retryBaseMs * 2 ** job.attempts)
    const delay = Math.max(random() * ceiling, error.retryAfterMs ?? 0)
    const at = now() + delay
    if (at - job.queuedAt > o.retryForMs) {
      return kill(job, `gave up after ${Math.round(o.retryForMs / 3_600_000)} h: ${error.message}`, error.status, 'expired')
    }
    o.metrics.retried.inc()
    settle({ id: job.id, outcome: 'retry', nextAttemptAt: Math.round(at), error: error.message, status: error.status })
  }

  function succeed(job: Job, done: Delivered) {
    if (job.kind == 'subscribe') o.metrics.subscribesSent.inc()
    else o.metrics.sent.inc()
    if (job.replay) o.metrics.replayed.inc()
    const at = now()
    const link = done.link && { ...done.link, heldAfter: at - o.heldTtlMs }
    if (link) o.log.info({ id: job.id, visitor: job.visitor, locators: link.locators }, 'eSputnik accepted a subscribe; linking its visitor')
    settle({ id: job.id, outcome: 'sent', at, ...(link ? { link } : {}) })
  }

  async function send(job: Job) {
    let call
    try {
      call = prepareDelivery(job, { client: o.client, replayOccurredAt: o.replayOccurredAt })
    } catch (error) {
      return kill(job, (error as Error).message, undefined, 'mapping')
    }
    const started = performance.now()
    const observe = (outcome: string) => o.metrics.upstreamSeconds.observe({ outcome }, (performance.now() - started) / 1000)
    try {
      const done = await call()
      observe('ok')
      answered()
      succeed(job, done)
    } catch (caught) {
      const error = caught instanceof UpstreamError ? caught : new UpstreamError(String(caught), undefined, 'retry')
      observe(error.outcome)
      if (error.outcome == 'auth') {
        pause(error)
        settle({ id: job.id, outcome: 'release' })
      } else if (error.outcome == 'dead') {
        answered()
        kill(job, `eSputnik answered ${error.status}: ${error.body}`, error.status, 'upstream')
      } else {
        breaker.failed()
        retry(job, error)
      }
    }
  }

  const settled = async () => {
    while (inflight.size) await Promise.race(inflight)
  }

  /** While the breaker is open: when its step is due, one event goes as the probe. */
  async function probe(signal: AbortSignal) {
    if (breaker.waitMs()) return waiter.rest(breaker.waitMs(), signal)
    await settled()
    if (!breaker.isOpen) return
    const jobs = await o.store.claim({ limit: 1, now: now(), leaseMs: o.leaseMs })
    if (!jobs.length) return waiter.rest(o.idlePollMs, signal)
    await breaker.probe(async () => {
      await dispatch(jobs, signal)
      await settled()
    })
  }

  async function dispatch(jobs: Job[], signal: AbortSignal) {
    for (let i = 0; i < jobs.length; i++) {
      let done: (() => void) | undefined
      try {
        while (inflight.size >= o.concurrency) await Promise.race(inflight)
        if (isPaused() || signal.aborted || breaker.holds()) throw new Error('not now')
        done = await pacers[jobs[i]!.kind].take(signal)
        if (isPaused() || breaker.holds()) throw new Error('paused')
      } catch {
        done?.()
        for (const job of jobs.slice(i)) settle({ id: job.id, outcome: 'release' })
        return
      }
      // The pacer counts the call until it has ended: answer, error or timeout.
      const ended = done
      const call = send(jobs[i]!).finally(() => {
        ended()
        inflight.delete(call)
      })
      inflight.add(call)
    }
  }

  async function run(signal: AbortSignal) {
    while (!signal.aborted) {
      try {
        if (isPaused()) {
          await waiter.rest(paused - now(), signal)
          continue
        }
        if (paused) {
          paused = 0
          o.metrics.paused.set(0)
          o.log.info({}, 'forwarding resumes after the auth pause')
        }
        if (breaker.isOpen) {
          await probe(signal)
          continue
        }
        const jobs = await o.store.claim({ limit: claimLimit, now: now(), leaseMs: o.leaseMs })
        if (jobs.length) await dispatch(jobs, signal)
        else await waiter.rest(o.idlePollMs, signal)
      } catch (err) {
        o.log.error({ err }, 'forwarder could not claim events; trying again')
        await waiter.rest(o.idlePollMs, signal)
      }
    }
  }

  return {
    start() {
      if (loop) return
      stopper = new AbortController()
      loop = run(stopper.signal)
    },
    async stop() {
      if (!loop) return
      stopper.abort(new Error('forwarder stopped'))
      await loop
      loop = undefined
      await Promise.all(inflight)
      await settler.drain()
    },
    wake: () => waiter.wake(),
    pausedUntil: () => (isPaused() ? paused : undefined),
  }
}
