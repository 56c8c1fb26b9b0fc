import type { WireEvent } from '../../wire/types.js'
import type { Locators } from '../mapping.js'

/**
 * The relay's durable state. Every method returns a Promise, so an
 * implementation over a network database (PostgreSQL with
 * `FOR UPDATE SKIP LOCKED` leases) drops in where the SQLite one is used.
 *
 * Rows are "jobs" for eSputnik. Today every job is an event (`kind: 'event'`);
 * the identity issue adds subscribe requests as another kind, so they share
 * leases, retries and dead letters.
 */

export type JobKind = 'event'
/** held: waits for the visitor's link; queued: to be sent; sent and dead: done. */
export type JobState = 'held' | 'queued' | 'sent' | 'dead'
export type AnonymousPolicy = 'hold' | 'forward'

export interface NewEvents {
  visitor: string
  events: WireEvent[]
  receivedAt: number
  /** Events of a visitor with no link: held, or queued with the visitor id as keyValue. */
  anonymous: AnonymousPolicy
}

export interface InsertResult {
  inserted: number
  /** Ids already stored (within the dedup window); accepted but not stored again. */
  duplicates: number
  held: number
  queued: number
}

export interface Job {
  seq: number
  id: string
  kind: JobKind
  visitor: string
  event: WireEvent
  /** Fixed when the job was queued; null means anonymous (the visitor id is the keyValue). */
  locators: Locators | null
  /** Failed attempts so far. */
  attempts: number
  receivedAt: number
  queuedAt: number
}

export interface ClaimOptions {
  limit: number
  now: number
  /** The claimed jobs are invisible to other claims until `now + leaseMs`, or until settled. */
  leaseMs: number
}

/** What became of a claimed job; `settle` applies a list of them in one transaction. */
export type Settlement =
  | { id: string; outcome: 'sent'; at: number }
  | { id: string; outcome: 'retry'; nextAttemptAt: number; error: string; status?: number }
  | { id: string; outcome: 'dead'; at: number; reason: string; status?: number }
  /** Lease dropped, no attempt counted (forwarding paused or stopping). */
  | { id: string; outcome: 'release' }

export interface DeadLetter {
  id: string
  kind: JobKind
  visitor: string
  type: string
  reason: string
  status: number | null
  attempts: number
  receivedAt: number
  deadAt: number
}

export interface StoreCounts {
  held: number
  queued: number
  sent: number
  dead: number
  /** receivedAt of the oldest queued job. */
  oldestQueuedAt: number | null
}

export interface PurgeOptions {
  /** Sent jobs received before this are deleted: the dedup window is over. */
  sentBefore: number
  /** Held jobs received before this are deleted: the visitor never linked. */
  heldBefore: number
  /** Most rows deleted per call, so a purge never holds the write lock for long. */
  limit: number
}

export interface Store {
  /** Stores a batch in one transaction; ids already stored count as duplicates. */
  insertEvents(batch: NewEvents): Promise<InsertResult>
  /** Leases up to `limit` due, queued jobs, oldest first. */
  claim(options: ClaimOptions): Promise<Job[]>
  /** Ack (sent), fail (retry at a time), dead-letter or release claimed jobs, in one transaction. */
  settle(settlements: Settlement[]): Promise<void>
  listDeadLetters(options?: { limit?: number; offset?: number }): Promise<DeadLetter[]>
  /** Puts dead letters back in the queue; returns how many. */
  replayDeadLetters(ids: string[] | 'all', now: number): Promise<number>
  /** Links a visitor to a contact and queues its held jobs with those locators, in order. */
  linkVisitor(visitor: string, locators: Locators, now: number): Promise<{ released: number }>
  getLink(visitor: string): Promise<Locators | undefined>
  counts(): Promise<StoreCounts>
  /** Deletes at most `limit` expired rows; call again while it returns a full chunk. */
  purge(options: PurgeOptions): Promise<{ sent: number; held: number }>
  /** Throws unless a write can be committed now (for /readyz). */
  checkWritable(now: number): Promise<void>
  close(): Promise<void>
}
