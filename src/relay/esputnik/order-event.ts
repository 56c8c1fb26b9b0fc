import { ORDER_EVENT_TYPES } from '../../wire/orders.js'
import type { StoredOrder } from '../store/order-types.js'
import type { OrderEventJob } from '../store/types.js'
import { MappingError } from './errors.js'
import { checkEventBody, PATH_GENERATE_EVENT, type EventParam, type GenerateEventBody } from './event-v2.js'
import type { Locators } from './locators.js'
import type { Operation } from './operation.js'

/**
 * An order status as its Generate event (`orderCreated`, `orderUpdated`,
 * `orderDelivered`, `orderCancelled`; docs/esputnik-api.md, "Orders"): what
 * starts eSputnik's order workflows and closes the cart its recycleStateId
 * names. It goes live through v2/event whatever its age, even after it was
 * held, since a workflow must run for it: a past event launches none.
 */

/** eSputnik's keyValue order, and the order its examples list locator params in (docs/esputnik-api.md, "Identifiers"). */
const KEY_PRIORITY = ['contactId', 'externalCustomerId', 'email', 'phone'] as const
const PARAM_ORDER = ['contactId', 'externalCustomerId', 'phone', 'email'] as const

/** eSputnik's line of an order: `{externalItemId, name, category, quantity, cost, url, imageUrl}`. */
export const orderItemsOf = (order: StoredOrder) =>
  order.items.map((line) => ({
    externalItemId: line.productId,
    ...(line.name === undefined ? {} : { name: line.name }),
    ...(line.category === undefined ? {} : { category: line.category }),
    quantity: line.quantity,
    cost: line.price,
    ...(line.url === undefined ? {} : { url: line.url }),
    ...(line.imageUrl === undefined ? {} : { imageUrl: line.imageUrl }),
  }))

/** The optional params, as text: eSputnik's definition reads a param's value as text or an object, not a number. */
const OPTIONAL = ['firstName', 'lastName', 'shipping', 'deliveryMethod', 'paymentMethod', 'deliveryAddress'] as const

/** Pure: the Generate event v2 body of one order status; throws a MappingError when eSputnik would refuse it. */
export function mapOrderEvent(order: StoredOrder, locators: Locators): GenerateEventBody {
  const keyValue = KEY_PRIORITY.map((k) => locators[k]).find((v) => v?.trim())
  if (!keyValue) throw new MappingError('an order event needs the contact: contactId, externalCustomerId, email or phone')
  const text = (name: string, value: string | number | undefined): EventParam[] => (value === undefined ? [] : [{ name, value: String(value) }])
  const params: EventParam[] = [
    ...PARAM_ORDER.flatMap((k) => text(k, locators[k] || undefined)),
    ...text('externalOrderId', order.orderId),
    ...text('status', order.status),
    ...text('totalCost', order.totalCost),
    ...text('currency', order.currencyCode),
    ...text('date', order.date),
    { name: 'items', value: JSON.stringify(orderItemsOf(order)) },
    ...text('recycleStateId', order.recycleStateId),
    ...OPTIONAL.flatMap((k) => text(k, order[k])),
  ]
  const body = { eventTypeKey: ORDER_EVENT_TYPES[order.status], keyValue, params }
  checkEventBody(body)
  return body
}

/** Every order-event job, one a call, on the `events` budget; errors classed as every event's. */
export const orderEvent: Operation<GenerateEventBody, GenerateEventBody, OrderEventJob> = {
  name: 'order-event',
  budget: 'events',
  scope: 'Events',
  maxBatch: 1,
  accepts: (job): job is OrderEventJob => job.kind == 'order-event',
  toItem: (job) => mapOrderEvent(job.order, job.locators ?? {}),
  toBody: (items) => items[0]!,
  send: (client, body) => client.post(PATH_GENERATE_EVENT, body),
}
