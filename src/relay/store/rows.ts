import type { WireEvent } from '../../wire/types.js'
import type { Locators } from '../esputnik/locators.js'
import { ORDER_EVENT_TYPES } from '../../wire/orders.js'
import type { StoredOrder } from './order-types.js'
import type { DeadLetter, Job, JobKind, Link } from './types.js'

/**
 * The rows both stores read, and how they become the Store's objects. The
 * tables have the same columns in SQLite and PostgreSQL; payloads and
 * locators are JSON text in both.
 */

export interface JobRow {
  seq: number
  id: string
  kind: JobKind
  visitor: string
  payload: string
  locators: string | null
  /** SQLite has no boolean: 0 or 1 there. */
  replay: boolean | number
  past: boolean | number
  attempts: number
  received_at: number
  queued_at: number
  next_attempt_at: number
  /** The event's ts (the request's for a subscribe). */
  occurred_at: number
}

export interface LinkRow {
  visitor: string
  since: number
  locators: string
  linked_at: number
}

export interface DeadRow extends JobRow {
  last_error: string
  last_status: number | null
  done_at: number
}

export const JOB_COLUMNS = 'seq, id, kind, visitor, payload, locators, replay, past, attempts, received_at, queued_at, next_attempt_at, occurred_at'

/** How many jobs are in each state, as rows of (state, n); the same SQL in both dialects. */
export const COUNT_BY_STATE = ['held', 'queued', 'sent', 'dead']
  .map((state) => `SELECT '${state}' AS state, count(*) AS n FROM jobs WHERE state = '${state}'`)
  .join(' UNION ALL ')

export function toJob(r: JobRow): Job {
  const base = {
    seq: r.seq,
    id: r.id,
    visitor: r.visitor,
    locators: r.locators === null ? null : (JSON.parse(r.locators) as Locators),
    replay: Boolean(r.replay),
    past: Boolean(r.past),
    attempts: r.attempts,
    receivedAt: r.received_at,
    queuedAt: r.queued_at,
  }
  const payload = JSON.parse(r.payload)
  if (r.kind == 'tokens') return { ...base, kind: 'tokens', tokens: payload }
  if (r.kind == 'order' || r.kind == 'order-event') return { ...base, kind: r.kind, order: payload }
  return r.kind == 'subscribe' ? { ...base, kind: 'subscribe', subscribe: payload } : { ...base, kind: 'event', event: payload }
}

export const toLink = (r: LinkRow): Link => ({
  visitor: r.visitor,
  since: r.since,
  locators: JSON.parse(r.locators) as Locators,
  linkedAt: r.linked_at,
})

/**
 * Claimed jobs in the order they fell due; jobs that fell due together (a
 * visitor's past events, a batch) in the order they happened, then as they came.
 */
export const toClaimed = (rows: JobRow[]): Job[] =>
  rows.sort((a, b) => a.next_attempt_at - b.next_attempt_at || a.occurred_at - b.occurred_at || a.seq - b.seq).map(toJob)

/** The event type (an order event's too), else the kind: `subscribe`, `tokens`, `order` (Add orders). */
function deadLetterType(r: DeadRow): string {
  if (r.kind == 'subscribe' || r.kind == 'tokens' || r.kind == 'order') return r.kind
  if (r.kind == 'order-event') return ORDER_EVENT_TYPES[(JSON.parse(r.payload) as StoredOrder).status]
  return (JSON.parse(r.payload) as WireEvent).type
}

export const toDeadLetter = (r: DeadRow): DeadLetter => ({
  id: r.id,
  kind: r.kind,
  visitor: r.visitor,
  type: deadLetterType(r),
  reason: r.last_error,
  status: r.last_status,
  attempts: r.attempts,
  receivedAt: r.received_at,
  deadAt: r.done_at,
})
