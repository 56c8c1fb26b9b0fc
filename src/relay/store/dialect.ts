import type { EraseStatements } from './erase-dialect.js'
import type { DeadRow, JobRow, LinkRow } from './rows.js'
import type { OrderStatements } from './order-dialect.js'
import type { TelegramStatements } from './telegram-dialect.js'
import type { Settlement, SubscribePayload } from './types.js'

/**
 * What a database gives the Store: its statements and its transactions. The
 * decisions (decisions.ts) are written once over this, so SQLite and
 * PostgreSQL cannot drift apart on what to insert, hold, link or settle.
 *
 * SQLite (better-sqlite3) answers synchronously and its transactions cannot
 * span an `await`; PostgreSQL answers with Promises. So a statement returns
 * `Answer<T>`, either one, and a decision is a generator (`Work`) that hands
 * each answer to its runner and gets the value back: `runSync` inside
 * `db.transaction` for SQLite (the whole batch in one synchronous transaction,
 * no await, no turn of the event loop), `runAsync` on a pooled connection for
 * PostgreSQL.
 */

export { answered, type Answer, type Work } from './answer.js'
import type { Answer, Work } from './answer.js'

/** Runs a decision whose statements all answer at once (SQLite, inside `db.transaction`). */
export function runSync<T>(work: Work<T>): T {
  let step = work.next()
  while (!step.done) {
    if (step.value instanceof Promise) throw new TypeError('a synchronous store was given a Promise')
    step = work.next(step.value)
  }
  return step.value
}

/** Runs a decision over statements that answer with Promises (PostgreSQL). */
export async function runAsync<T>(work: Work<T>): Promise<T> {
  let step = work.next()
  while (!step.done) step = work.next(await step.value)
  return step.value
}

/** An event as the decisions file it: held or queued, for which contact, replayed or not. */
export interface EventInsert {
  id: string
  state: 'held' | 'queued'
  /** The wire event as JSON. */
  payload: string
  /** JSON; null for an anonymous event. */
  locators: string | null
  replay: boolean
  /** A replay job that goes as a past event (see Job.past). */
  past: boolean
  queuedAt: number | null
  /** When it may first be claimed; null while held, or while a replay waits for its turn (see makeReplayDue). */
  due: number | null
  /** The event's ts, the order of a visitor's held history. */
  ts: number
}

export type RetrySettlement = Extract<Settlement, { outcome: 'retry' }>
export type DeadSettlement = Extract<Settlement, { outcome: 'dead' }>

/**
 * One method a statement. Counts are rows changed; `since`, `at`, `now` are ms
 * since the epoch. Every method that changes a job leaves jobs that are not
 * `queued` alone (a settle that comes too late changes nothing).
 */
export interface Statements extends TelegramStatements, OrderStatements, EraseStatements {
  /**
   * Serialises the writers of these visitors (insert, link, settling a replay
   * job) until the transaction ends. A no-op where one writer is all there is (SQLite).
   */
  lockVisitors(visitors: string[]): Answer<unknown>
  /** The visitor's links, oldest `since` first. */
  links(visitor: string): Answer<LinkRow[]>
  insertLink(visitor: string, since: number, locators: string, at: number): Answer<unknown>
  /** Inserts the rows in their order, skipping stored ids; says for each row whether it was new. */
  insertEvents(visitor: string, receivedAt: number, rows: EventInsert[]): Answer<boolean[]>
  /** Queues a subscribe request unless its id is stored; says whether it was new. */
  insertSubscribe(request: SubscribePayload, receivedAt: number): Answer<boolean>
  /**
   * Of the visitor's queued replay jobs: how many are due (in flight, or
   * waiting for a retry) and how many are past jobs. A visitor's replay jobs
   * wait with no next attempt time until decisions.ts makes its next step
   * due, at the cost of index probes per visitor rather than a scan per claim.
   */
  replayState(visitor: string): Answer<{ due: number; past: number }>
  /** Makes due at `now` the visitor's earliest `limit` waiting replay jobs (by ts) that are past jobs, or that are not. */
  makeReplayDue(visitor: string, past: boolean, limit: number, now: number): Answer<number>
  /** Held events only: a held order is never dropped for the cap. */
  countHeld(visitor: string): Answer<number>
  /** Deletes the visitor's `count` earliest (by ts) held events (not orders). */
  dropHeld(visitor: string, count: number): Answer<number>
  /** Queues the visitor's events held since `heldAfter` as replay jobs for `locators`; those whose ts is before `pastBefore` as past jobs. */
  releaseHeld(visitor: string, locators: string, heldAfter: number, now: number, pastBefore: number): Answer<number>
  jobsOf(ids: string[]): Answer<{ id: string; visitor: string; replay: boolean | number }[]>
  retry(settlement: RetrySettlement): Answer<unknown>
  /** Drops the lease, counting no attempt. */
  release(id: string): Answer<unknown>
  markSent(id: string, at: number): Answer<number>
  markDead(settlement: DeadSettlement): Answer<number>
  /** Leases up to `limit` due jobs until `until`; the order of the rows is not defined. */
  claim(now: number, limit: number, until: number): Answer<JobRow[]>
  listDead(limit: number, offset: number): Answer<DeadRow[]>
  /** Queues again the dead letters of these ids, or every one for null. */
  replayDead(ids: string[] | null, now: number): Answer<number>
  retryNow(now: number): Answer<number>
  counts(): Answer<{ state: string; n: number }[]>
  /** receivedAt of the oldest queued job. */
  oldestQueued(): Answer<number | null>
  purgeSent(before: number, limit: number): Answer<number>
  purgeHeld(before: number, limit: number): Answer<number>
  heartbeat(value: string): Answer<unknown>
}

export interface Dialect {
  /** Statements outside any transaction, each one committed alone. */
  statements: Statements
  /** Runs a decision in one transaction, over statements bound to it. */
  transaction<T>(work: (s: Statements) => Work<T>): Promise<T>
  close(): Promise<void>
}
