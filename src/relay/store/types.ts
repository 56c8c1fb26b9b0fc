import type { EraseStore } from './erase-types.js'
import type { AnyWireEvent, SubscribeRequest } from '../../wire/types.js'
import type { Locators } from '../esputnik/locators.js'
import type { BudgetLedger } from './budget-ledger.js'
import type { NewServerOrders, ServerOrderOutcome, StoredOrder } from './order-types.js'
import type { TelegramStore, TokensPayload } from './telegram-types.js'

/**
 * The relay's durable state. Every method returns a Promise, so the
 * embedded SQLite store and the PostgreSQL one (several nodes, `FOR UPDATE
 * SKIP LOCKED` leases) are used alike; both are store.ts over a dialect.
 *
 * Rows are "jobs" for eSputnik: events (Generate event v2) and subscribe
 * requests (Subscribe contact), sharing leases, retries and dead letters.
 * Links say which contact a visitor's events belong to, from which moment on.
 */

export type JobKind = 'event' | 'subscribe' | 'tokens' | 'order' | 'order-event'
/** held: waits for the visitor's link; queued: to be sent; sent and dead: done. */
export type { JobState } from './job-state.js'
export type AnonymousPolicy = 'hold' | 'forward'

/** A checked subscribe request, kept until eSputnik has accepted it. */
export type SubscribePayload = Omit<SubscribeRequest, 'v'>

export interface NewEvents {
  visitor: string
  events: AnyWireEvent[]
  receivedAt: number
  /** Events of a visitor with no link: held, or queued with the visitor id as keyValue. */
  anonymous: AnonymousPolicy
  /** Most events held per visitor; beyond it the oldest (by ts) are dropped. Default: no cap. */
  maxHeld?: number
  /**
   * The contact these events go to, whatever the visitor's links: events from
   * the shop's backend that name a contact. Queued at once, never held or replayed.
   */
  contact?: Locators
  /** A replay job (history arriving after the first link) whose ts is before this goes as a past event. Default: none does. */
  pastBefore?: number
}

export interface InsertResult {
  inserted: number
  /** Ids already stored (within the dedup window); accepted but not stored again. */
  duplicates: number
  held: number
  queued: number
  /** Held events deleted, oldest first, to stay within `maxHeld`. */
  dropped: number
}

export interface NewSubscribe {
  request: SubscribePayload
  receivedAt: number
}

interface JobBase {
  seq: number
  id: string
  visitor: string
  /** Fixed when the job was queued; null means anonymous (the visitor id is the keyValue). */
  locators: Locators | null
  /**
   * Held history released by a link (or an event from before the visitor's
   * first link that arrived after it): sent in ts order per visitor (see
   * `past` and Store.claim), with an `occurredAt` param.
   */
  replay: boolean
  /**
   * A replay job old enough for Past events (decided when it was queued for
   * replay, see LinkRequest.pastBefore): a visitor's past jobs go before its
   * other replay jobs, up to MAX_PAST_EVENTS of them due at once, in ts order.
   */
  past: boolean
  /** Failed attempts so far. */
  attempts: number
  receivedAt: number
  queuedAt: number
}

export interface EventJob extends JobBase {
  kind: 'event'
  event: AnyWireEvent
}

export interface SubscribeJob extends JobBase {
  kind: 'subscribe'
  subscribe: SubscribePayload
}

/** A chat's token for Add application tokens (store/telegram-types.ts); `locators` is its contact. */
export interface TokensJob extends JobBase {
  kind: 'tokens'
  tokens: TokensPayload
}

/** An order status for Add orders (store/order-types.ts); only the shop's backend makes these. */
export interface OrderJob extends JobBase {
  kind: 'order'
  order: StoredOrder
}

/** An order status as its Generate event, always live (never a past event), from the browser or the backend. */
export interface OrderEventJob extends JobBase {
  kind: 'order-event'
  order: StoredOrder
}

export type Job = EventJob | SubscribeJob | TokensJob | OrderJob | OrderEventJob

export interface ClaimOptions {
  limit: number
  now: number
  /** The claimed jobs are invisible to other claims until `now + leaseMs`, or until settled. */
  leaseMs: number
}

/** What a link asks for; the visitor is the job's (subscribe) or the request's (identify). */
export interface LinkRequest {
  locators: Locators
  /**
   * From when the visitor's events belong to these locators, on the clock of
   * the events' `ts`: the subscribe's or identify's own ts, or now for a call
   * from the site's backend. Earlier events stay with the link before it.
   */
  since: number
  /** Held events received before this are past HELD_EVENTS_TTL_DAYS and are not replayed. */
  heldAfter: number
  /**
   * Released events whose ts is before this go as past events (REPLAY_MODE,
   * REPLAY_LIVE_MINUTES; see esputnik/past-events.ts). Default: none do.
   */
  pastBefore?: number
}

export interface NewLink extends LinkRequest {
  visitor: string
  /** Now, on the relay's clock. */
  at: number
}

export interface LinkResult {
  /** False when the visitor already had these locators at `since` (an identify on every page load). */
  changed: boolean
  /** Held events queued for replay. */
  released: number
  /** Held Telegram tokens queued for the contact; absent when none. */
  tokens?: number
}

/** A stored link: the visitor's events from `since` on go to `locators`. */
export interface Link {
  visitor: string
  locators: Locators
  since: number
  linkedAt: number
}

/** What became of a claimed job; `settle` applies a list of them in one transaction. */
export type Settlement =
  /** `link`: a subscribe succeeded; the visitor is linked in the same transaction, so a crash cannot split them. */
  | { id: string; outcome: 'sent'; at: number; link?: LinkRequest }
  /** `attempt: false`: set aside until `nextAttemptAt` without counting an attempt (its operation is paused). */
  | { id: string; outcome: 'retry'; nextAttemptAt: number; error: string; status?: number; attempt?: false }
  | { id: string; outcome: 'dead'; at: number; reason: string; status?: number }
  /** Lease dropped, no attempt counted (forwarding paused or stopping). */
  | { id: string; outcome: 'release' }

export interface SettleResult {
  /** Links that changed a visitor's contact. */
  linked: number
  /** Held events those links queued for replay. */
  released: number
}

export interface DeadLetter {
  id: string
  kind: JobKind
  visitor: string
  /** The event type, or `subscribe`. */
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

export interface Store extends TelegramStore, EraseStore {
  /** Stores a batch in one transaction; ids already stored count as duplicates. */
  insertEvents(batch: NewEvents): Promise<InsertResult>
  /** Queues a subscribe request; a stored id is a duplicate (`inserted: false`). */
  insertSubscribe(subscribe: NewSubscribe): Promise<{ inserted: boolean }>
  /** Stores the backend's orders in one transaction (store/orders.ts); says what became of each, in order. */
  insertServerOrders(batch: NewServerOrders): Promise<ServerOrderOutcome[]>
  /**
   * Leases up to `limit` due, queued jobs, oldest first (jobs that fell due
   * together in ts order). A visitor's replay is claimable one step at a
   * time, a step only once nothing of the one before is in flight or waiting
   * for a retry: first its past jobs, up to MAX_PAST_EVENTS at once, earliest
   * ts first; then the others one at a time, in ts order.
   */
  claim(options: ClaimOptions): Promise<Job[]>
  /** Ack (sent, maybe linking), fail (retry at a time), dead-letter or release claimed jobs, in one transaction. */
  settle(settlements: Settlement[]): Promise<SettleResult>
  listDeadLetters(options?: { limit?: number; offset?: number }): Promise<DeadLetter[]>
  /**
   * Makes every queued job that is waiting for a retry (attempts > 0, next
   * attempt after `now`) due at `now`, e.g. once eSputnik answers again after
   * an outage; returns how many. Leaves new, held, in-flight and replay-waiting jobs alone.
   */
  retryNow(now: number): Promise<number>
  /** Puts dead letters back in the queue; returns how many. */
  replayDeadLetters(ids: string[] | 'all', now: number): Promise<number>
  /**
   * Links a visitor to a contact from `since` on, unless it already has these
   * locators then, and queues its held events received from `heldAfter` on as
   * replay jobs, in one transaction. Calling it again changes nothing.
   */
  linkVisitor(link: NewLink): Promise<LinkResult>
  /** The locators the visitor's new events go to now. */
  getLink(visitor: string): Promise<Locators | undefined>
  /** Every link of the visitor, oldest `since` first. */
  listLinks(visitor: string): Promise<Link[]>
  counts(): Promise<StoreCounts>
  /** Deletes at most `limit` expired rows (of each kind; `telegram`: link codes expired and update ids received before `sentBefore`); call again while it returns a full chunk. */
  purge(options: PurgeOptions): Promise<{ sent: number; held: number; telegram?: number; orders?: number }>
  /**
   * PostgreSQL: the account's upstream budgets, shared by every relay node on
   * this database (forward/shared-budgets.ts). Absent on SQLite, whose one
   * relay process paces in memory.
   */
  budgets?: BudgetLedger
  /** Throws unless a write can be committed now (for /readyz). */
  checkWritable(now: number): Promise<void>
  close(): Promise<void>
}
