import type { Config } from '../ops/config.js'
import { BUDGET_NAMES, type BudgetConfig } from '../esputnik/budgets.js'
import type { EsputnikClient } from '../esputnik/client.js'
import type { Operation, OperationConfig } from '../esputnik/operation.js'
import { OPERATIONS } from '../esputnik/registry.js'
import type { RelayMetrics } from '../ops/metrics.js'
import type { Job, Store } from '../store/types.js'
import { createAuthPauses, whatToFix, type AuthPause } from './auth-pause.js'
import { BREAKER_MAX_STEP_MS, createBreaker } from './breaker.js'
import { createCalls } from './calls.js'
import { createOutcomes, type OutcomeLog } from './outcomes.js'
import { createBudgetPacers } from './budget-pacers.js'
import { planCalls } from './plan.js'
import { createSettler } from './settler.js'
import { createWaiter } from './waiter.js'

/** The settings the forwarder reads. */
export type ForwardConfig = BudgetConfig &
  OperationConfig &
  Pick<
    Config,
    | 'upstreamConcurrency'
    | 'claimBatch'
    | 'leaseMs'
    | 'idlePollMs'
    | 'retryBaseMs'
    | 'retryMaxMs'
    | 'retryForMs'
    | 'authPauseMs'
    | 'heldTtlMs'
    | 'replayLiveMs'
    | 'rateGuardMs'
    | 'forwardStartDelayMs'
    | 'upstreamTimeoutMs'
  >

export interface ForwarderDeps {
  store: Store
  client: EsputnikClient
  metrics: RelayMetrics
  log: OutcomeLog
  /** @defaultValue the registry's OPERATIONS */
  operations?: readonly Operation[]
  /** Retryable failures in a row, with no success between, that open the breaker. @defaultValue 20 */
  breakerThreshold?: number
  now?: () => number
  random?: () => number
}

export interface Forwarder {
  start(): void
  /** Stops claiming, lets the calls in flight finish and records their results. */
  stop(): Promise<void>
  /** New work was queued: stop idling. */
  wake(): void
  /** The operations paused because eSputnik refused the API key for them. */
  pauses(): AuthPause[]
  /** True while the shared breaker holds calls back after a run of retryable failures. */
  isBreakerOpen(): boolean
}

/**
 * Claims due jobs, groups them into calls by the operation that carries each
 * (esputnik/registry.ts), sends each call within its budget's pace and the
 * concurrency bound, and settles every item. Per docs/esputnik-api.md
 * "Errors and retries": 2xx sent (a subscribe's link in the same commit);
 * 429/408/5xx/timeout/reset retried with full-jitter backoff until
 * `retryForMs` after queueing; other 4xx dead letters, a batch refused as a
 * whole first split in halves to find the bad item; 401/403 pause that
 * operation only, nothing dropped, for `authPauseMs`. After a run of
 * retryable failures a shared breaker stops all sending but one probe per
 * backoff step; the first answer makes every waiting retry due at once.
 */
export function createForwarder(config: ForwardConfig, deps: ForwarderDeps): Forwarder {
  const { store, client, metrics, log } = deps
  const now = deps.now ?? Date.now
  const random = deps.random ?? Math.random
  const operations = deps.operations ?? OPERATIONS
  // The account's budgets shared with the other nodes on PostgreSQL, this process's own on SQLite.
  const budgets = createBudgetPacers(config, { ledger: store.budgets, log })
  const { pacers } = budgets
  // Claim enough to fill the largest call (500 past events), but no more than the slowest budget sends
  // within half a lease, so no lease expires while its job waits its turn.
  const slowest = () => Math.min(...BUDGET_NAMES.map((budget) => budgets.rateNow(budget)))
  const largest = Math.max(config.claimBatch, ...operations.map((operation) => operation.maxBatch))
  const claimLimit = () => Math.max(1, Math.min(largest, Math.floor((slowest() * config.leaseMs) / 2000)))
  const inflight = new Set<Promise<void>>()
  const waiter = createWaiter()
  let stopper = new AbortController()
  let loop: Promise<void> | undefined

  const breaker = createBreaker({
    threshold: deps.breakerThreshold ?? 20,
    baseMs: config.retryBaseMs,
    maxMs: Math.min(config.retryMaxMs, BREAKER_MAX_STEP_MS),
    now,
    random,
    onOpen: (failures) => log.error({ failures }, 'eSputnik keeps failing; one probe call per backoff step until it answers'),
  })
  const settler = createSettler({ store, metrics, log, now, written: () => waiter.wake() })
  const outcomes = createOutcomes({ ...config, settle: settler.settle, metrics, log, now, random })
  for (const operation of operations) metrics.paused.set({ operation: operation.name }, 0)
  const pauses = createAuthPauses({
    pauseMs: config.authPauseMs,
    scopeOf: (name) => operations.find((operation) => operation.name == name)?.scope,
    now,
    onPause({ operation, until, status, scope, reason }) {
      metrics.paused.set({ operation }, 1)
      const seconds = Math.round(config.authPauseMs / 1000)
      if (reason) return log.error({ operation, status, resumeAt: new Date(until).toISOString() }, `${operation} paused for ${seconds} s, nothing is dropped: ${reason}`)
      log.error(
        { operation, status, scope, resumeAt: new Date(until).toISOString() },
        `eSputnik refused the API key (${status}) for ${operation}; ${operation} paused for ${Math.round(config.authPauseMs / 1000)} s, nothing is dropped. ${whatToFix(status, scope)}`,
      )
    },
    onResume(operation) {
      metrics.paused.set({ operation }, 0)
      log.info({ operation }, `${operation} resumes after its pause`)
    },
  })

  function answered() {
    if (!breaker.answered()) return
    settler.retryAllAfterWrite()
    log.info({}, 'eSputnik answers again; events waiting for a retry are due now')
  }
  const { admit, perform, release } = createCalls({ client, pacers, breaker, pauses, outcomes, metrics, answered })


  const settled = async () => {
    while (inflight.size) await Promise.race(inflight)
  }

  async function dispatch(jobs: Job[], signal: AbortSignal) {
    // Every setting goes along, so an operation that reads a new one needs no change here.
    const { calls, refused } = planCalls(jobs, operations, { ...config, now: now() })
    for (const { job, reason } of refused) outcomes.dead(job, reason, undefined, 'mapping')
    for (let i = 0; i < calls.length; i++) {
      while (inflight.size >= config.upstreamConcurrency) await Promise.race(inflight)
      const turn = await admit(calls[i]!, signal)
      if (turn == 'stopped') return release(calls.slice(i))
      if (turn == 'deferred') continue
      const task = perform(calls[i]!, turn, signal).finally(() => inflight.delete(task))
      inflight.add(task)
    }
  }

  /** While the breaker is open: when its step is due, one job goes as the probe. */
  async function probe(signal: AbortSignal) {
    if (breaker.waitMs()) return waiter.rest(breaker.waitMs(), signal)
    await settled()
    if (!breaker.isOpen) return
    const jobs = await store.claim({ limit: 1, now: now(), leaseMs: config.leaseMs })
    if (!jobs.length) return waiter.rest(config.idlePollMs, signal)
    await breaker.probe(async () => {
      await dispatch(jobs, signal)
      await settled()
    })
  }

  async function run(signal: AbortSignal) {
    while (!signal.aborted) {
      try {
        const paused = pauses.list()
        if (paused.length == operations.length) {
          await waiter.rest(Math.min(...paused.map((p) => p.until)) - now(), signal)
          continue
        }
        if (breaker.isOpen) {
          await probe(signal)
          continue
        }
        const jobs = await store.claim({ limit: claimLimit(), now: now(), leaseMs: config.leaseMs })
        if (jobs.length) await dispatch(jobs, signal)
        else await waiter.rest(config.idlePollMs, signal)
      } catch (err) {
        log.error({ err }, 'forwarder could not claim jobs; trying again')
        await waiter.rest(config.idlePollMs, signal)
      }
    }
  }

  return {
    start() {
      if (loop) return
      stopper = new AbortController()
      budgets.start()
      loop = run(stopper.signal)
    },
    async stop() {
      if (!loop) return
      stopper.abort(new Error('forwarder stopped'))
      await loop
      loop = undefined
      await Promise.all(inflight)
      await settler.drain()
      await budgets.stop()
    },
    wake: () => waiter.wake(),
    pauses: () => pauses.list(),
    isBreakerOpen: () => breaker.isOpen,
  }
}
