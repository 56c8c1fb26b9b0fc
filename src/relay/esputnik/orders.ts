import type { StoredOrder } from '../store/order-types.js'
import type { OrderJob } from '../store/types.js'
import type { UpstreamReply } from './client.js'
import { MappingError } from './errors.js'
import type { Locators } from './locators.js'
import type { ItemResult, Operation } from './operation.js'
import { orderItemsOf } from './order-event.js'

/**
 * Add orders (`POST /api/v1/orders`, docs/esputnik-api.md "Orders"): the
 * backend's order statuses, up to 1000 a call, for eSputnik's order
 * analytics. An order is found by externalCustomerId, else email, else phone
 * (it has no contactId field); eSputnik creates a missing contact and never
 * updates one. Its answer lists the orders it refused, with the reason.
 */

export const PATH_ADD_ORDERS = '/api/v1/orders'

/** eSputnik's limit per call (schema `Orders`). */
export const MAX_ORDERS_PER_CALL = 1000

/** One order as schema `Order` of eSputnik's definition has it. */
export interface AddOrder {
  externalOrderId: string
  externalCustomerId?: string
  email?: string
  phone?: string
  status: string
  date: string
  currency: string
  totalCost: number
  firstName?: string
  lastName?: string
  shipping?: number
  discount?: number
  taxes?: number
  restoreUrl?: string
  storeId?: string
  source?: string
  deliveryMethod?: string
  paymentMethod?: string
  deliveryAddress?: string
  /** Text values only; the cart the order closes goes here as `recycleStateId`. */
  additionalInfo?: Record<string, string>
  items: ReturnType<typeof orderItemsOf>
}

export interface AddOrdersBody {
  orders: AddOrder[]
}

const CONTACT = ['externalCustomerId', 'email', 'phone'] as const
const OPTIONAL = ['firstName', 'lastName', 'shipping', 'discount', 'taxes', 'restoreUrl', 'storeId', 'source', 'deliveryMethod', 'paymentMethod', 'deliveryAddress'] as const

/** Pure: the Add orders entry of one order status; throws a MappingError when eSputnik would refuse it. */
export function buildOrder(order: StoredOrder, locators: Locators): AddOrder {
  const contact = Object.fromEntries(CONTACT.filter((k) => locators[k]?.trim()).map((k) => [k, locators[k]!]))
  if (!Object.keys(contact).length) throw new MappingError('Add orders needs the contact by externalCustomerId, email or phone')
  if (!order.currencyCode) throw new MappingError('Add orders needs the order currency')
  const optional = Object.fromEntries(OPTIONAL.filter((k) => order[k] !== undefined).map((k) => [k, order[k]]))
  return {
    externalOrderId: order.orderId,
    ...contact,
    status: order.status,
    date: order.date,
    currency: order.currencyCode,
    totalCost: order.totalCost,
    ...optional,
    ...(order.recycleStateId ? { additionalInfo: { recycleStateId: order.recycleStateId } } : {}),
    items: orderItemsOf(order),
  }
}

/**
 * What became of each order of a call eSputnik answered 200: the ones in
 * `failedOrders` (matched by externalOrderId and status) are dead letters
 * with eSputnik's reason, the rest are delivered.
 */
export function orderResults(reply: UpstreamReply, jobs: OrderJob[]): ItemResult[] {
  let failed: unknown
  try {
    failed = (JSON.parse(reply.body) as { failedOrders?: unknown }).failedOrders
  } catch {
    // No readable answer: eSputnik took the call.
  }
  const reasons = new Map<string, string>()
  for (const f of Array.isArray(failed) ? failed : []) {
    const order = (f as { order?: { externalOrderId?: unknown; status?: unknown } } | null)?.order
    if (typeof order?.externalOrderId != 'string') continue
    const reason = String((f as { error?: unknown }).error ?? 'no reason given').slice(0, 500)
    reasons.set(`${order.externalOrderId}\n${order.status ?? ''}`, reason)
    // eSputnik may echo the order without its status: then it names every status of that order in the call.
    if (order.status === undefined) reasons.set(`${order.externalOrderId}\n*`, reason)
  }
  return jobs.map((job) => {
    const reason = reasons.get(`${job.order.orderId}\n${job.order.status}`) ?? reasons.get(`${job.order.orderId}\n*`)
    return reason === undefined ? { outcome: 'sent' } : { outcome: 'dead', reason: `eSputnik refused the order: ${reason}` }
  })
}

/** Every order job, up to MAX_ORDERS_PER_CALL a call, on the `orders` budget. */
export const addOrders: Operation<AddOrder, AddOrdersBody, OrderJob> = {
  name: 'orders',
  budget: 'orders',
  scope: 'Orders',
  maxBatch: MAX_ORDERS_PER_CALL,
  accepts: (job): job is OrderJob => job.kind == 'order',
  toItem: (job) => buildOrder(job.order, job.locators ?? {}),
  toBody: (items) => ({ orders: items }),
  send: (client, body) => client.post(PATH_ADD_ORDERS, body),
  results: orderResults,
}
