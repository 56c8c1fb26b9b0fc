import type { UpstreamError } from '../esputnik/errors.js'
import type { ItemResult } from '../esputnik/operation.js'
import { pastBefore, type ReplayConfig } from '../esputnik/past-events.js'
import type { RelayMetrics } from '../ops/metrics.js'
import type { Job, Settlement } from '../store/types.js'

export interface OutcomeLog {
  info(obj: object, msg?: string): void
  error(obj: object, msg?: string): void
}

export interface OutcomesOptions extends ReplayConfig {
  retryBaseMs: number
  retryMaxMs: number
  /** Retryable failures become dead letters this long after the job was queued. */
  retryForMs: number
  /** Held events received longer ago than this are not replayed when a link is made. */
  heldTtlMs: number
  settle: (settlement: Settlement) => void
  metrics: RelayMetrics
  log: OutcomeLog
  now: () => number
  random: () => number
}

/** What is done with each job once its call has ended (or was never made), counted and logged. */
export interface Outcomes {
  sent(job: Job, operation: string, link?: Extract<ItemResult, { outcome: 'sent' }>['link']): void
  dead(job: Job, reason: string, status: number | undefined, why: 'mapping' | 'upstream' | 'expired'): void
  /** Tried again after a full-jitter backoff (at least Retry-After), or a dead letter once `retryForMs` is over. */
  retry(job: Job, error: Pick<UpstreamError, 'message' | 'status' | 'retryAfterMs'>): void
  /** Not sent, and not due before `until` (its operation is paused); it never expires for that. */
  defer(job: Job, until: number, reason: string, status: number | undefined): void
  /** Not sent: its lease is dropped, no attempt counted. */
  release(job: Job): void
}

/** For logs: the event type, or the kind of job. */
export const jobType = (job: Job): string => (job.kind == 'event' ? job.event.type : job.kind)

export function createOutcomes(o: OutcomesOptions): Outcomes {
  const dead: Outcomes['dead'] = (job, reason, status, why) => {
    o.metrics.jobDead(job.kind, why)
    o.log.error({ id: job.id, type: jobType(job), status, reason }, `${job.kind} moved to dead letters`)
    o.settle({ id: job.id, outcome: 'dead', at: o.now(), reason, status })
  }
  return {
    dead,
    sent(job, operation, link) {
      o.metrics.jobSent(job.kind)
      if (job.replay) o.metrics.replayed.inc()
      const at = o.now()
      const linking = link && { ...link, heldAfter: at - o.heldTtlMs, pastBefore: pastBefore(o, at) }
      if (linking) o.log.info({ id: job.id, visitor: job.visitor, locators: linking.locators, operation }, 'eSputnik accepted the call; linking its visitor')
      o.settle({ id: job.id, outcome: 'sent', at, ...(linking ? { link: linking } : {}) })
    },
    retry(job, error) {
      const ceiling = Math.min(o.retryMaxMs, o.retryBaseMs * 2 ** job.attempts)
      const at = o.now() + Math.max(o.random() * ceiling, error.retryAfterMs ?? 0)
      if (at - job.queuedAt > o.retryForMs) {
        return dead(job, `gave up after ${Math.round(o.retryForMs / 3_600_000)} h: ${error.message}`, error.status, 'expired')
      }
      o.metrics.retried.inc()
      o.settle({ id: job.id, outcome: 'retry', nextAttemptAt: Math.round(at), error: error.message, status: error.status })
    },
    // Set aside until the pause ends, so claims skip it and the other
    // operations' jobs behind it are not starved; a pause is no failed
    // attempt, so the job's backoff and attempt count stay as they were.
    defer(job, until, reason, status) {
      o.settle({ id: job.id, outcome: 'retry', nextAttemptAt: Math.round(until), error: reason, status, attempt: false })
    },
    release(job) {
      o.settle({ id: job.id, outcome: 'release' })
    },
  }
}
