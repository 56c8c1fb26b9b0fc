import { normalizeEmail, normalizePhone } from './contact.js'
import { ID_RULE, isId } from './ids.js'
import { checkSchema, isObject, ORDER_LINE, ValidationError, type Schema } from './schema.js'

/**
 * Orders, as the shop's backend posts them to `POST /v1/server/orders` and
 * as the SDK's `purchased()` sends its `orderCreated` in a batch; the relay's
 * checks of both (docs/esputnik-api.md, "Orders").
 */

/** eSputnik's order statuses that a shop sends (Add orders also knows ABANDONED_SHOPPING_CART, which is eSputnik's own). */
export const ORDER_STATUSES = ['INITIALIZED', 'IN_PROGRESS', 'DELIVERED', 'CANCELLED'] as const
export type OrderStatus = (typeof ORDER_STATUSES)[number]

/** The Generate event of each status, as eSputnik's own shop modules send them (docs/esputnik-api.md, "Orders"). */
export const ORDER_EVENT_TYPES = {
  INITIALIZED: 'orderCreated',
  IN_PROGRESS: 'orderUpdated',
  DELIVERED: 'orderDelivered',
  CANCELLED: 'orderCancelled',
} as const satisfies Record<OrderStatus, string>

export type OrderEventType = (typeof ORDER_EVENT_TYPES)[OrderStatus]

/** eSputnik's names for order events: never a custom event, from the browser or the backend. */
export const isOrderEventType = (type: unknown): type is OrderEventType =>
  typeof type == 'string' && (Object.values(ORDER_EVENT_TYPES) as string[]).includes(type)

/** Most orders in one `POST /v1/server/orders`. */
export const MAX_ORDERS_PER_REQUEST = 500

/** One line of an order, from the backend's orders or the SDK's `purchased`. */
export interface OrderLine {
  /** Your product id, as in the product feed (eSputnik's externalItemId). */
  productId: string
  /** How many of it were bought. */
  quantity: number
  /** The price of one (eSputnik's cost). */
  price: number
  /** The product's name. */
  name?: string
  /** The product's category. */
  category?: string
  /** The product's page. */
  url?: string
  /** The product's picture. */
  imageUrl?: string
}

/** The `data` of the browser's `orderCreated` (the SDK's `purchased()`). */
export interface BrowserOrderData {
  orderId: string
  totalCost: number
  currencyCode?: string
  items: OrderLine[]
  /** The cart the order closes: the SDK's current cart id. */
  recycleStateId: string
}

/** What the order itself says, whoever sent it; the relay keeps it as a job's payload. */
export interface OrderFields {
  orderId: string
  status: OrderStatus
  totalCost: number
  currencyCode?: string
  /** ISO 8601 in UTC, e.g. `2026-12-01T10:11:10.702Z`. */
  date: string
  items: OrderLine[]
  recycleStateId?: string
  firstName?: string
  lastName?: string
  shipping?: number
  discount?: number
  taxes?: number
  deliveryMethod?: string
  paymentMethod?: string
  deliveryAddress?: string
  restoreUrl?: string
  storeId?: string
  /** eSputnik takes `online` (its default) or `offline`. */
  source?: 'online' | 'offline'
}

/** One order of `POST /v1/server/orders`. */
export interface ServerOrder extends Omit<OrderFields, 'date' | 'currencyCode'> {
  currencyCode: string
  /** ISO 8601 with a time zone, or milliseconds since the epoch. */
  date: string | number
  /** The shop's `sc` cookie as its backend receives it: the relay fills the contact and the cart from that visitor. */
  visitorId?: string
  externalCustomerId?: string
  email?: string
  phone?: string
}

/** An order as checked: its fields, the visitor it came with, and its own contact identifiers (possibly none). */
export interface CheckedOrder {
  order: OrderFields
  visitorId?: string
  locators: { externalCustomerId?: string; email?: string; phone?: string }
}

/** The fields checked by kind; status, date, source, visitorId and the contact are checked by hand below. */
const SERVER_ORDER: Schema = {
  orderId: 'id',
  totalCost: 'num',
  currencyCode: 'cur',
  items: [ORDER_LINE],
  'externalCustomerId?': 'xid',
  'email?': 'text',
  'phone?': 'text',
  'firstName?': 'text',
  'lastName?': 'text',
  'recycleStateId?': 'id',
  'shipping?': 'num',
  'discount?': 'num',
  'taxes?': 'num',
  'deliveryMethod?': 'text',
  'paymentMethod?': 'text',
  'deliveryAddress?': 'text',
  'restoreUrl?': 'text',
  'storeId?': 'id',
}
const BY_HAND = ['status', 'date', 'source', 'visitorId']
const KNOWN = [...Object.keys(SERVER_ORDER).map((k) => k.replace('?', '')), ...BY_HAND]

/** ISO 8601 date and time with a zone (`Z` or `+03:00`), as eSputnik's `date-time` wants; or epoch milliseconds. */
const ISO_DATE_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:\d\d)$/i

function checkDate(value: unknown): string {
  const ms = typeof value == 'number' ? value : typeof value == 'string' && ISO_DATE_TIME.test(value) ? Date.parse(value) : NaN
  if (!Number.isSafeInteger(ms) || ms <= 0) {
    throw new ValidationError('date must be an ISO 8601 date and time with a zone, like 2026-12-01T10:11:10+02:00, or milliseconds since the epoch')
  }
  return new Date(ms).toISOString()
}

/** Checks one order of `POST /v1/server/orders`; throws a ValidationError naming the field. */
export function checkServerOrder(input: unknown): CheckedOrder {
  if (!isObject(input)) throw new ValidationError('order must be an object')
  const unknown = Object.keys(input).find((k) => !KNOWN.includes(k))
  if (unknown !== undefined) throw new ValidationError(`order takes no field ${JSON.stringify(unknown.slice(0, 50))}; it takes ${KNOWN.join(', ')}`)
  const out = checkSchema(SERVER_ORDER, input) as Partial<ServerOrder> & Pick<ServerOrder, 'orderId' | 'totalCost' | 'currencyCode' | 'items'>
  if (!ORDER_STATUSES.includes(input.status as OrderStatus)) throw new ValidationError(`status must be one of ${ORDER_STATUSES.join(', ')}`)
  if (input.source !== undefined && input.source != 'online' && input.source != 'offline') throw new ValidationError('source must be online or offline')
  if (input.visitorId !== undefined && !isId(input.visitorId)) throw new ValidationError(`visitorId must be ${ID_RULE} (the shop's sc cookie)`)
  const { externalCustomerId, email, phone, ...fields } = out
  const locators: CheckedOrder['locators'] = {}
  if (externalCustomerId) locators.externalCustomerId = externalCustomerId
  if (email !== undefined) locators.email = normalizeEmail(email) ?? fail('email is not a valid email address')
  if (phone !== undefined) locators.phone = normalizePhone(phone) ?? fail('phone is not a valid phone number in international form')
  const visitorId = input.visitorId as string | undefined
  if (!visitorId && !Object.keys(locators).length) {
    throw new ValidationError('order needs a visitorId (the sc cookie) or the contact: externalCustomerId, email or phone')
  }
  const order: OrderFields = {
    ...(fields as Omit<OrderFields, 'status' | 'date' | 'source'>),
    status: input.status as OrderStatus,
    date: checkDate(input.date),
    ...(input.source === undefined ? {} : { source: input.source as 'online' | 'offline' }),
  }
  return { order, ...(visitorId ? { visitorId } : {}), locators }
}

const fail = (reason: string): never => {
  throw new ValidationError(reason)
}

/** A refused order of a request: its place in the list, its id when it had one, and why. */
export interface RefusedOrder {
  index: number
  orderId?: string
  reason: string
}

/**
 * Checks a whole `POST /v1/server/orders` body. A malformed envelope throws
 * (the request is refused); a malformed order lands in `refused` and costs no other.
 */
export function parseServerOrders(body: unknown): { orders: (CheckedOrder & { index: number })[]; refused: RefusedOrder[] } {
  if (!isObject(body)) throw new ValidationError('body must be a JSON object')
  const unknown = Object.keys(body).find((k) => k != 'orders')
  if (unknown !== undefined) throw new ValidationError(`body takes no field ${JSON.stringify(unknown.slice(0, 50))}; it takes orders`)
  const list = body.orders
  if (!Array.isArray(list) || list.length == 0) throw new ValidationError('orders must be a non-empty list')
  if (list.length > MAX_ORDERS_PER_REQUEST) throw new ValidationError(`orders must hold at most ${MAX_ORDERS_PER_REQUEST} orders`)
  const orders: (CheckedOrder & { index: number })[] = []
  const refused: RefusedOrder[] = []
  const seen = new Set<string>()
  list.forEach((raw, index) => {
    const orderId = isObject(raw) && typeof raw.orderId == 'string' ? raw.orderId.slice(0, 200) : undefined
    try {
      const checked = checkServerOrder(raw)
      const key = `${checked.order.orderId}\n${checked.order.status}`
      if (seen.has(key)) throw new ValidationError('the same orderId and status appear earlier in this request')
      seen.add(key)
      orders.push({ ...checked, index })
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error
      refused.push({ index, ...(orderId ? { orderId } : {}), reason: error.message })
    }
  })
  return { orders, refused }
}
