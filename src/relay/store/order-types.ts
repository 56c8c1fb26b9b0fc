import type { CheckedOrder, OrderFields, OrderStatus } from '../../wire/orders.js'

/**
 * The Store's order part (store/orders.ts decides, for both stores). An
 * order status becomes two jobs: an `order-event` (its Generate event, live)
 * and, from the shop's backend only, an `order` (its Add orders row). Both
 * carry the same StoredOrder. The ids are the order's id and status, from the
 * browser and the backend alike, so a status is stored once whoever sends it
 * and however often.
 */

/** The payload of both order jobs. */
export interface StoredOrder extends OrderFields {
  /** Who said it: a browser's order is untrusted (never an Add orders row), the backend's replaces a browser's not sent yet. */
  origin: 'browser' | 'server'
  /** The page a browser's order was sent from. */
  url?: string
}

/** The job ids of an order status; wire ids never hold a `/`, so these never meet an event's. */
export const orderJobId = (order: { orderId: string; status: OrderStatus }) => `order/${order.status}/${order.orderId}`
export const orderEventJobId = (order: { orderId: string; status: OrderStatus }) => `order-event/${order.status}/${order.orderId}`

export interface NewServerOrders {
  orders: CheckedOrder[]
  receivedAt: number
}

/**
 * What became of each order, in the order given: `queued` for its contact,
 * `held` until its visitor is linked, `duplicate` when this orderId and status
 * were stored before (nothing changes).
 */
export type ServerOrderOutcome = 'queued' | 'held' | 'duplicate'
