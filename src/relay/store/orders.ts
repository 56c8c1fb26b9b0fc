import type { BrowserOrderData, CheckedOrder } from '../../wire/orders.js'
import type { AnyWireEvent } from '../../wire/types.js'
import type { Locators } from '../esputnik/locators.js'
import { answered, type Statements, type Work } from './dialect.js'
import { pickLink } from './links.js'
import type { OrderContextRow, OrderJobInsert, OrderJobRow } from './order-dialect.js'
import { orderEventJobId, orderJobId, type NewServerOrders, type ServerOrderOutcome, type StoredOrder } from './order-types.js'
import { toLink } from './rows.js'
import type { Link } from './types.js'

/**
 * The order decisions, written once for both stores like decisions.ts (each
 * runs inside one transaction, under the locks of the visitors it touches).
 *
 * An order never goes upstream without a contact: one with no identifier of
 * its own waits, held under its visitor, until that visitor is linked (the
 * link's release queues it like held events). Its status event goes through
 * Generate event live whatever its age, as a job kind of its own, so no
 * operation for old history (past events) takes it.
 */

const hasAny = (locators: Locators | undefined | null): locators is Locators => !!locators && Object.values(locators).some(Boolean)
const parse = <T>(json: string | null | undefined): T | undefined => (json ? (JSON.parse(json) as T) : undefined)

function* readLinks(s: Statements, visitor: string): Work<Link[]> {
  return (yield* answered(s.links(visitor))).map(toLink)
}

/**
 * A browser's status event not sent yet: the backend's word replaces it.
 * Not one in its visitor's replay (queued there for the visitor's linked
 * contact, in its turn): that one goes as it is.
 */
const isBrowserPending = (row: OrderJobRow | undefined) =>
  !!row && (row.state == 'held' || (row.state == 'queued' && !row.replay)) && parse<StoredOrder>(row.payload)?.origin == 'browser'

/**
 * The cart's id of the visitor's last cartUpdated, so that a later order
 * names the cart it closes; the caller holds the visitor's lock.
 */
export function* noteCarts(s: Statements, visitor: string, events: AnyWireEvent[], at: number): Work<void> {
  let last: AnyWireEvent | undefined
  for (const e of events) if (e.type == 'cartUpdated' && (!last || e.ts >= last.ts)) last = e
  if (last) yield* answered(s.noteCart(visitor, (last.data as { recycleStateId: string }).recycleStateId, last.ts, at))
}

/**
 * The browser's orders (`orderCreated` of the SDK's `purchased()`) of a batch:
 * each its status event only, queued for the contact of the link in force when
 * it happened, else held whatever ANONYMOUS_EVENTS says. Returns for each
 * whether it was new and whether it replays (see decisions.ts); the caller
 * holds the visitor's lock and has read its links.
 */
export function* insertBrowserOrders(s: Statements, visitor: string, events: AnyWireEvent[], links: Link[], at: number): Work<{ fresh: boolean; held: boolean; replay: boolean }[]> {
  const results: { fresh: boolean; held: boolean; replay: boolean }[] = []
  for (const e of events) {
    const d = e.data as unknown as BrowserOrderData
    const link = pickLink(links, e.ts)
    const replay = Boolean(link && e.ts < links[0]!.since)
    const order: StoredOrder = {
      origin: 'browser',
      orderId: d.orderId,
      status: 'INITIALIZED',
      totalCost: d.totalCost,
      ...(d.currencyCode ? { currencyCode: d.currencyCode } : {}),
      date: new Date(e.ts).toISOString(),
      items: d.items,
      recycleStateId: d.recycleStateId,
      ...(e.url ? { url: e.url } : {}),
    }
    const row: OrderJobInsert = {
      id: orderEventJobId(order),
      kind: 'order-event',
      visitor,
      state: link ? 'queued' : 'held',
      payload: JSON.stringify(order),
      locators: link ? JSON.stringify(link.locators) : null,
      replay,
      queuedAt: link ? at : null,
      due: link && !replay ? at : null,
      ts: e.ts,
      at,
    }
    results.push({ fresh: yield* answered(s.insertOrderJob(row)), held: !link, replay })
  }
  return results
}

/** What one backend order resolves to: its visitor, its contact (or none yet) and its cart. */
interface Resolved {
  visitor: string | undefined
  own: Locators | undefined
  locators: Locators | undefined
  recycleStateId: string | undefined
}

function* resolve(s: Statements, o: CheckedOrder, context: OrderContextRow | undefined, links: (v: string) => Work<Link[]>): Work<Resolved> {
  const visitor = o.visitorId ?? context?.visitor ?? undefined
  const own = hasAny(o.locators) ? o.locators : parse<Locators>(context?.locators)
  // The contact the visitor's events go to now (Store.getLink): the backend's call has no browser clock.
  const locators = own ?? (visitor ? (yield* links(visitor)).at(-1)?.locators : undefined)
  // A later status keeps the cart of the first; only a first one takes the visitor's last cart.
  const recycleStateId = o.order.recycleStateId ?? context?.recycle_state_id ?? (visitor ? yield* answered(s.lastCart(visitor)) : undefined)
  return { visitor, own, locators, recycleStateId }
}

/**
 * The backend's orders: per order status one Add orders job and one status
 * event job, for the order's own contact, else its visitor's. A stored
 * (orderId, status) is a duplicate and changes nothing; a browser's status
 * event of the same order not sent yet is replaced by the backend's.
 */
export function* insertServerOrders(s: Statements, batch: NewServerOrders): Work<ServerOrderOutcome[]> {
  const at = batch.receivedAt
  const contexts = new Map<string, OrderContextRow | undefined>()
  for (const { order } of batch.orders) if (!contexts.has(order.orderId)) contexts.set(order.orderId, yield* answered(s.orderContext(order.orderId)))
  const eventIds = batch.orders.map((o) => orderEventJobId(o.order))
  const before = yield* answered(s.orderJobs(eventIds))
  // Every visitor this may touch, locked at once in one order (lockVisitors sorts them).
  const visitors = batch.orders.map((o) => o.visitorId ?? contexts.get(o.order.orderId)?.visitor).filter((v): v is string => !!v)
  yield* answered(s.lockVisitors([...visitors, ...before.map((r) => r.visitor).filter(Boolean)]))
  const events = new Map((yield* answered(s.orderJobs(eventIds))).map((r) => [r.id, r]))
  const cache = new Map<string, Link[]>()
  function* links(visitor: string): Work<Link[]> {
    if (!cache.has(visitor)) cache.set(visitor, yield* readLinks(s, visitor))
    return cache.get(visitor)!
  }

  const outcomes: ServerOrderOutcome[] = []
  for (const o of batch.orders) {
    // Read again: an earlier order of this batch may be this order's first status.
    const context = yield* answered(s.orderContext(o.order.orderId))
    const r = yield* resolve(s, o, context, links)
    const order: StoredOrder = { ...o.order, origin: 'server', ...(r.recycleStateId ? { recycleStateId: r.recycleStateId } : {}) }
    const queued = hasAny(r.locators)
    const row = (kind: OrderJobInsert['kind'], id: string): OrderJobInsert => ({
      id,
      kind,
      visitor: r.visitor ?? '',
      state: queued ? 'queued' : 'held',
      payload: JSON.stringify(order),
      locators: queued ? JSON.stringify(r.locators) : null,
      replay: false,
      queuedAt: queued ? at : null,
      due: queued ? at : null,
      ts: Date.parse(order.date),
      at,
    })
    if (!(yield* answered(s.insertOrderJob(row('order', orderJobId(order)))))) {
      outcomes.push('duplicate')
      continue
    }
    const event = row('order-event', orderEventJobId(order))
    const prior = events.get(event.id)
    if (!prior) yield* answered(s.insertOrderJob(event))
    else if (isBrowserPending(prior)) yield* answered(s.replaceOrderJob(event, at))
    // A browser's event of this order went out for another visitor than the backend names: not this
    // buyer's (a guessed order number, say), so it must not silence the buyer's own.
    else if (r.visitor && prior.visitor && prior.visitor != r.visitor) yield* answered(s.insertOrderJob({ ...event, id: `${event.id}/server` }))
    const remembered: OrderContextRow = {
      visitor: r.visitor ?? null,
      locators: r.own ? JSON.stringify(r.own) : null,
      recycle_state_id: r.recycleStateId ?? null,
    }
    yield* answered(s.noteOrderContext(order.orderId, remembered, at))
    outcomes.push(queued ? 'queued' : 'held')
  }
  return outcomes
}
