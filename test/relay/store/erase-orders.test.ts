import { describe, expect, it } from 'vitest'
import { checkServerOrder } from '../../../src/wire/orders.js'
import { wireEvent } from '../helpers.js'
import { ERASABLE_STORES, storeOfEachTest } from './erase-harness.js'

/** Erase and orders: the order jobs not sent yet, what an order's first status said, the visitor's last cart. */

const T0 = 1_800_000_000_000
const EMAIL = 'erased-orders@example.com'
const OTHER = 'kept-orders@example.com'
const TABLES = ['jobs', 'visitor_links', 'visitor_carts', 'order_contexts']

const order = (orderId: string, extra: Record<string, unknown>) =>
  checkServerOrder({ orderId, status: 'INITIALIZED', totalCost: 10, currencyCode: 'USD', date: T0, items: [{ productId: 'p-1', quantity: 1, price: 10 }], ...extra })

describe.each(ERASABLE_STORES)('Store.erase, orders: %s', (_name, open) => {
  const h = storeOfEachTest(open)

  /** A visitor linked to `email` with a cart, and an order of it the shop's backend sent with the visitor id. */
  async function customer(visitor: string, email: string, orderId: string, firstName: string) {
    await h.store.linkVisitor({ visitor, locators: { email }, since: 0, heldAfter: 0, at: T0 })
    const cart = wireEvent('cartUpdated', { products: [{ productId: 'p-1', quantity: 1, price: 10 }], recycleStateId: `cart-${visitor}` }, { ts: T0 })
    await h.store.insertEvents({ visitor, events: [cart], receivedAt: T0, anonymous: 'hold' })
    // The order id stays in the tombstones' job ids (dedup): it names no one without the shop's own database.
    expect(await h.store.insertServerOrders({ orders: [order(orderId, { visitorId: visitor, firstName })], receivedAt: T0 + 2 })).toEqual(['queued'])
  }

  it('erases by email the orders of the contact, its visitor’s and those the backend named it on, and its visitor’s cart', async () => {
    await customer('visitor-orders-1', EMAIL, 'A-1', 'Olena')
    await h.store.insertServerOrders({ orders: [order('A-2', { email: EMAIL, firstName: 'Olena' })], receivedAt: T0 + 3 })
    await customer('visitor-orders-2', OTHER, 'A-3', 'Taras')

    const { counts } = await h.store.erase({ locator: 'email', value: EMAIL }, T0 + 10)
    expect(counts.tables).toMatchObject({ visitor_carts: 1, order_contexts: 2 })
    expect(counts.jobs).toMatchObject({ order: { queued: 2 }, 'order-event': { queued: 2 }, event: { queued: 1 } })
    const dump = await h.dump(TABLES)
    for (const personal of [EMAIL, 'visitor-orders-1', 'cart-visitor-orders-1', 'Olena']) expect(dump).not.toContain(personal)
    for (const kept of [OTHER, 'visitor-orders-2', 'cart-visitor-orders-2', 'Taras']) expect(dump).toContain(kept)
    // The backend sending a status again finds a tombstone: a duplicate, nothing stored anew.
    expect(await h.store.insertServerOrders({ orders: [order('A-2', { email: EMAIL })], receivedAt: T0 + 20 })).toEqual(['duplicate'])
  })

  it('erases by visitor its cart and its orders', async () => {
    await customer('visitor-orders-3', EMAIL, 'A-4', 'Olena')
    const { counts } = await h.store.erase({ visitor: 'visitor-orders-3' }, T0 + 10)
    expect(counts.tables).toMatchObject({ visitor_carts: 1, order_contexts: 1 })
    const dump = await h.dump(TABLES)
    for (const personal of [EMAIL, 'visitor-orders-3', 'cart-visitor-orders-3', 'Olena']) expect(dump).not.toContain(personal)
  })
})
