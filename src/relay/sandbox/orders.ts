import { escapeHtml } from './escape-html.js'

/**
 * The sandbox's Add orders (`POST /api/v1/orders`, docs/esputnik-api.md
 * "Orders"; schemas Orders, Order, FailedOrders), written apart from the
 * relay's mapping (esputnik/orders.ts) so it catches its mistakes. A call is
 * refused whole (400) only when it is no list of orders; an order that lacks
 * a required field or any contact identifier is listed in `failedOrders`
 * with the reason, as eSputnik does, and the others are taken.
 */

type Obj = Record<string, unknown>
const isObj = (v: unknown): v is Obj => typeof v == 'object' && v !== null && !Array.isArray(v)
const filled = (v: unknown) => typeof v == 'string' && v.trim() != ''

/** At most this many orders a call (schema Orders). */
const MAX_ORDERS = 1000
const STATUSES = ['INITIALIZED', 'IN_PROGRESS', 'DELIVERED', 'CANCELLED', 'ABANDONED_SHOPPING_CART']

/** The 400 of a call that is no list of orders, or undefined. */
export function checkOrdersCall(body: unknown): string | undefined {
  if (!isObj(body) || !Array.isArray(body.orders) || body.orders.length == 0) return 'orders must be a non-empty list'
  if (body.orders.length > MAX_ORDERS) return `At most ${MAX_ORDERS} orders per request`
}

/** Why eSputnik would not add this order, or undefined when it would. */
export function orderProblem(order: unknown): string | undefined {
  if (!isObj(order)) return 'The order must be an object'
  const missing = ['externalOrderId', 'status', 'date', 'currency'].filter((k) => !filled(order[k]))
  if (typeof order.totalCost != 'number' || !Number.isFinite(order.totalCost)) missing.push('totalCost')
  if (missing.length) return `Required fields are empty or have a wrong format: ${missing.join(', ')}`
  if (!STATUSES.includes(order.status as string)) return `Unknown status ${String(order.status).slice(0, 40)}`
  if (Number.isNaN(Date.parse(order.date as string))) return `Wrong date format: ${String(order.date).slice(0, 40)}`
  if (!['externalCustomerId', 'email', 'phone'].some((k) => filled(order[k]))) {
    return 'All of the following fields are empty: externalCustomerId, email, phone. At least one of them is required'
  }
  if (order.items !== undefined && !(Array.isArray(order.items) && order.items.every((i) => isObj(i) && filled(i.externalItemId) && typeof i.quantity == 'number'))) {
    return 'Each item needs externalItemId and quantity'
  }
}

/** The 200 answer to a call `checkOrdersCall` passed; `injected` says whether to refuse a good order too (a fault). */
export function answerOrders(body: unknown, injected: () => boolean = () => false): { status: number; reply: { failedOrders: { order: unknown; error: string }[] } } {
  const failedOrders = ((body as { orders: unknown[] }).orders ?? []).flatMap((order) => {
    const error = orderProblem(order) ?? (injected() ? 'Injected failure: the order was not added' : undefined)
    return error ? [{ order, error }] : []
  })
  return { status: 200, reply: { failedOrders } }
}

/** Params an order event needs in the sandbox (the Generate event check): what eSputnik's shop modules always send. */
export const ORDER_EVENT_REQUIRED = Object.fromEntries(
  ['orderCreated', 'orderUpdated', 'orderDelivered', 'orderCancelled'].map((type) => [
    type,
    (p: (name: string) => unknown) => ['externalOrderId', 'status', 'totalCost'].filter((name) => !filled(p(name))),
  ]),
)

/** For the page: one row per order of an Add orders call, refused ones marked. */
export function ordersTable(body: unknown, reply: unknown): string {
  const orders = (body as { orders?: unknown })?.orders
  if (!Array.isArray(orders) || orders.length == 0) return ''
  const failed = (reply as { failedOrders?: { order?: { externalOrderId?: unknown }; error?: unknown }[] })?.failedOrders ?? []
  const rows = orders
    .map((o: Obj | null) => {
      const contact = ['externalCustomerId', 'email', 'phone'].find((k) => o?.[k] !== undefined)
      const refused = failed.find((f) => f.order?.externalOrderId === o?.externalOrderId)
      const line = [
        `${String(o?.status)} · ${String(o?.totalCost)} ${String(o?.currency)}`,
        contact ? `${contact} ${String(o![contact])}` : '(no contact)',
        `recycleStateId ${String((o?.additionalInfo as Obj | undefined)?.recycleStateId ?? '(none)')}`,
        `${Array.isArray(o?.items) ? o.items.length : 0} items`,
        ...(refused ? [`refused: ${String(refused.error)}`] : []),
      ]
      return `<tr><th>order ${escapeHtml(String(o?.externalOrderId))}</th><td><pre>${escapeHtml(line.join('\n'))}</pre></td></tr>`
    })
    .join('')
  return `<table class="params">${rows}</table>`
}
