import type { BudgetName } from '../esputnik/budgets.js'
import type { EsputnikClient } from '../esputnik/client.js'
import { UpstreamError } from '../esputnik/errors.js'
import type { ItemResult } from '../esputnik/operation.js'
import type { RelayMetrics } from '../ops/metrics.js'
import type { AuthPauses } from './auth-pause.js'
import type { Breaker } from './breaker.js'
import type { Outcomes } from './outcomes.js'
import type { Pacer, PacerDone } from './pacer.js'
import { splitCall, type Call } from './plan.js'

export interface CallsOptions {
  client: EsputnikClient
  /** One per budget: a call waits for a slot of its operation's budget. */
  pacers: Record<BudgetName, Pacer>
  breaker: Breaker
  pauses: AuthPauses
  outcomes: Outcomes
  metrics: RelayMetrics
  /** eSputnik answered (2xx, or a refusal that is the items' fault). */
  answered: () => void
}

/** Making one call: its turn in the pace, the call, and what becomes of each item. */
export interface Calls {
  /** Waits for the call's turn in its budget: its pacer slot, or why it does not go now (deferred: its jobs are set aside already). */
  admit(call: Call, signal: AbortSignal): Promise<PacerDone | 'deferred' | 'stopped'>
  /** Makes an admitted call (the pacer counts it until it has ended) and settles every item. */
  perform(call: Call, done: PacerDone, signal: AbortSignal): Promise<void>
  /** Gives the calls' jobs back unsent. */
  release(calls: Call[]): void
}

const SENT: ItemResult = { outcome: 'sent' }

export function createCalls(o: CallsOptions): Calls {
  const { client, pacers, breaker, pauses, outcomes, metrics, answered } = o

  const release = (calls: Call[]) => calls.forEach((call) => call.jobs.forEach((job) => outcomes.release(job)))

  /** Sets the jobs aside until their operation's pause ends; false when it is not paused. */
  function deferIfPaused(call: Pick<Call, 'operation' | 'jobs'>): boolean {
    const until = pauses.until(call.operation.name)
    if (until === undefined) return false
    const why = pauses.list().find((p) => p.operation == call.operation.name)?.reason ?? 'eSputnik refused the API key'
    const reason = `not sent: ${call.operation.name} is paused: ${why}`
    for (const job of call.jobs) outcomes.defer(job, until, reason, undefined)
    return true
  }

  /** Waits for the call's turn in its budget: its pacer slot, or why it does not go now. */
  async function admit(call: Call, signal: AbortSignal): Promise<PacerDone | 'deferred' | 'stopped'> {
    if (signal.aborted || breaker.holds()) return 'stopped'
    if (deferIfPaused(call)) return 'deferred'
    let done: PacerDone
    try {
      done = await pacers[call.operation.budget].take(signal)
    } catch {
      return 'stopped'
    }
    if (breaker.holds()) {
      done()
      return 'stopped'
    }
    if (deferIfPaused(call)) {
      done()
      return 'deferred'
    }
    return done
  }

  function settleItems(call: Call, results: ItemResult[], status: number) {
    const waiting: Call['jobs'] = []
    call.jobs.forEach((job, i) => {
      const result = results[i] ?? { outcome: 'retry', reason: `eSputnik's answer had no result for item ${i + 1}` }
      if (result.outcome == 'sent') outcomes.sent(job, call.operation.name, result.link)
      else if (result.outcome == 'dead') outcomes.dead(job, result.reason, status, 'upstream')
      else if (result.outcome == 'pause') {
        pauses.pause(call.operation.name, status, result.reason)
        waiting.push(job)
      } else outcomes.retry(job, { message: result.reason, status })
    })
    // Kept queued until the pause ends; the pause has begun by now, so they are all deferred.
    if (waiting.length) deferIfPaused({ operation: call.operation, jobs: waiting })
  }

  /** No call carries these items as they are: a single one is a dead letter, a batch is split to find it. */
  async function refuse(call: Call, reason: string, status: number | undefined, why: 'mapping' | 'upstream', signal: AbortSignal) {
    if (call.jobs.length > 1) return resendHalves(call, signal)
    outcomes.dead(call.jobs[0]!, reason, status, why)
  }

  /** Makes one admitted call (the pacer counts it until `done`) and settles its items. */
  async function perform(call: Call, done: PacerDone, signal: AbortSignal): Promise<void> {
    const { operation, jobs } = call
    let body: unknown
    try {
      body = operation.toBody(call.items)
    } catch (caught) {
      done()
      return refuse(call, (caught as Error).message, undefined, 'mapping', signal)
    }
    const started = performance.now()
    const observe = (outcome: string) =>
      metrics.upstreamSeconds.observe({ outcome, operation: operation.name }, (performance.now() - started) / 1000)
    let error: UpstreamError
    try {
      const reply = await operation.send(client, body, call.context)
      done()
      observe('ok')
      answered()
      return settleItems(call, operation.results?.(reply, jobs) ?? jobs.map(() => SENT), reply.status)
    } catch (caught) {
      done()
      error = caught instanceof UpstreamError ? caught : new UpstreamError(String(caught), undefined, 'retry')
    }
    observe(error.outcome)
    if (error.outcome == 'auth') {
      pauses.pause(operation.name, error.status)
      deferIfPaused(call)
    } else if (error.outcome == 'dead') {
      answered()
      return refuse(call, `eSputnik answered ${error.status}: ${error.body}`, error.status, 'upstream', signal)
    } else {
      breaker.failed()
      for (const job of jobs) outcomes.retry(job, error)
    }
  }

  /** eSputnik refused a batch as a whole: each half goes again, down to the single item it refuses. */
  async function resendHalves(call: Call, signal: AbortSignal) {
    for (const half of splitCall(call)) {
      const turn = await admit(half, signal)
      if (turn == 'stopped') release([half])
      else if (turn != 'deferred') await perform(half, turn, signal)
    }
  }
  return { admit, perform, release }
}
