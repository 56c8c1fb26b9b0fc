import type { Answer } from './answer.js'

/**
 * The order statements a database gives the Store (part of Statements in
 * dialect.ts; sqlite-order-sql.ts and postgres-order-sql.ts write them).
 * Times are ms since the epoch; payloads and locators are JSON text.
 */

/** An order job to insert, or to put in place of an unsent one. */
export interface OrderJobInsert {
  id: string
  kind: 'order' | 'order-event'
  /** The order's visitor, or '' for an order of a contact the backend named alone. */
  visitor: string
  state: 'held' | 'queued'
  payload: string
  locators: string | null
  replay: boolean
  queuedAt: number | null
  /** When it may first be claimed; null while held, or while a replay waits its turn. */
  due: number | null
  /** When the order was placed: its place in the visitor's history. */
  ts: number
  at: number
}

export interface OrderJobRow {
  id: string
  visitor: string
  state: string
  /** NULL once sent. */
  payload: string | null
  replay: boolean | number
}

/** What the relay remembers of an order from its first status, for the later ones. */
export interface OrderContextRow {
  visitor: string | null
  locators: string | null
  recycle_state_id: string | null
}

export interface OrderStatements {
  /** Inserts the job unless its id is stored; says whether it was new. */
  insertOrderJob(row: OrderJobInsert): Answer<boolean>
  orderJobs(ids: string[]): Answer<OrderJobRow[]>
  /** Puts `row` in place of the held or queued job of its id that no live lease holds; says whether it did. */
  replaceOrderJob(row: OrderJobInsert, now: number): Answer<boolean>
  /** The recycleStateId of the visitor's latest cartUpdated (by its ts). */
  lastCart(visitor: string): Answer<string | undefined>
  /** Keeps the cart unless a later one (by ts) is kept already. */
  noteCart(visitor: string, recycleStateId: string, ts: number, at: number): Answer<unknown>
  orderContext(orderId: string): Answer<OrderContextRow | undefined>
  /** Remembers what a status said; what an earlier one said is kept, only gaps are filled. */
  noteOrderContext(orderId: string, context: OrderContextRow, at: number): Answer<unknown>
  /** Deletes at most `limit` carts and order contexts, each, last written before `before`. */
  purgeOrderContexts(before: number, limit: number): Answer<number>
}
