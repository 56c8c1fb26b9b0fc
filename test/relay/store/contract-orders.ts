import { describe, expect, it } from 'vitest'
import type { Locators } from '../../../src/relay/esputnik/locators.js'
import type { Job, OrderEventJob, OrderJob, Store } from '../../../src/relay/store/types.js'
import type { CheckedOrder, OrderFields } from '../../../src/wire/orders.js'
import type { WireEvent } from '../../../src/wire/types.js'
import { wireEvent } from '../helpers.js'
import { drain, storePerTest, T0, type StoreHarness } from './harness.js'


const link = (visitor: string, locators: Locators, at = T0 + 10) => ({ visitor, locators, since: 0, heldAfter: 0, at })

const fields = (orderId: string, status: OrderFields['status'] = 'INITIALIZED', extra: Partial<OrderFields> = {}): OrderFields => ({
  orderId,
  status,
  totalCost: 52.5,
  currencyCode: 'USD',
  date: new Date(T0).toISOString(),
  items: [{ productId: 'sku-1', quantity: 2, price: 26.25 }],
  ...extra,
})

const serverOrder = (order: OrderFields, who: { visitorId?: string; locators?: CheckedOrder['locators'] }): CheckedOrder => ({
  order,
  ...(who.visitorId ? { visitorId: who.visitorId } : {}),
  locators: who.locators ?? {},
})

const cart = (recycleStateId: string, ts: number) => wireEvent('cartUpdated', { products: [{ productId: 'sku-1', quantity: 2, price: 26.25 }], recycleStateId }, { ts })

/** The SDK's purchased() as it reaches /v1/e. */
const purchase = (orderId: string, recycleStateId: string, ts = T0 + 5) =>
  ({ ...wireEvent('pageViewed', {}, { ts }), type: 'orderCreated', data: { orderId, totalCost: 52.5, items: [{ productId: 'sku-1', quantity: 2, price: 26.25 }], recycleStateId } }) as unknown as WireEvent

type AnyOrderJob = OrderJob | OrderEventJob
const orderJobs = (jobs: Job[]) => jobs.filter((j): j is AnyOrderJob => j.kind == 'order' || j.kind == 'order-event')
/** Each order job as `kind status orderId`, with its contact, cart and who sent it. */
const shown = (jobs: Job[]) =>
  orderJobs(jobs)
    .map((j) => ({ job: `${j.kind} ${j.order.status} ${j.order.orderId}`, to: j.locators, cart: j.order.recycleStateId, origin: j.order.origin }))
    .sort((a, b) => a.job.localeCompare(b.job))

/** The order part of the Store contract: the backend's orders, the browser's, their carts and contacts. */
export function describeOrdersContract(name: string, open: () => Promise<StoreHarness>) {
  describe(`Store contract, orders: ${name}`, () => {
    let store: Store
    storePerTest(open, (opened) => (store = opened))

    it('queues a backend order named only by its visitor for the visitor’s contact, with the cart of its last cartUpdated', async () => {
      await store.linkVisitor(link('visitor-ord-1', { contactId: '100001', email: 'a@b.co' }))
      await store.insertEvents({ visitor: 'visitor-ord-1', events: [cart('cart-old', T0 - 20), cart('cart-new', T0 - 10)], receivedAt: T0, anonymous: 'hold' })
      // An event that arrives late, from before the last cart, does not change which cart is the last.
      await store.insertEvents({ visitor: 'visitor-ord-1', events: [cart('cart-late', T0 - 15)], receivedAt: T0 + 1, anonymous: 'hold' })
      await drain(store)
      expect(await store.insertServerOrders({ orders: [serverOrder(fields('A-1'), { visitorId: 'visitor-ord-1' })], receivedAt: T0 + 2 })).toEqual(['queued'])
      const to = { contactId: '100001', email: 'a@b.co' }
      expect(shown(await drain(store))).toEqual([
        { job: 'order INITIALIZED A-1', to, cart: 'cart-new', origin: 'server' },
        { job: 'order-event INITIALIZED A-1', to, cart: 'cart-new', origin: 'server' },
      ])
    })

    it('holds a backend order of an unlinked visitor without a contact of its own, and the link releases it for that contact', async () => {
      expect(await store.insertServerOrders({ orders: [serverOrder(fields('A-2'), { visitorId: 'visitor-ord-2' })], receivedAt: T0 })).toEqual(['held'])
      expect(await store.counts()).toMatchObject({ held: 2, queued: 0 })
      expect(await drain(store)).toEqual([])
      expect(await store.linkVisitor(link('visitor-ord-2', { externalCustomerId: 'c-2' }))).toMatchObject({ changed: true, released: 2 })
      const to = { externalCustomerId: 'c-2' }
      expect(shown(await drain(store))).toEqual([
        { job: 'order INITIALIZED A-2', to, cart: undefined, origin: 'server' },
        { job: 'order-event INITIALIZED A-2', to, cart: undefined, origin: 'server' },
      ])
    })

    it('queues an order with a contact of its own at once, whatever its visitor', async () => {
      const orders = [serverOrder(fields('A-3'), { visitorId: 'visitor-ord-3', locators: { email: 'buyer@b.co' } }), serverOrder(fields('A-4'), { locators: { phone: '380501234567' } })]
      expect(await store.insertServerOrders({ orders, receivedAt: T0 })).toEqual(['queued', 'queued'])
      expect(shown(await drain(store)).map((j) => [j.job, j.to])).toEqual([
        ['order INITIALIZED A-3', { email: 'buyer@b.co' }],
        ['order INITIALIZED A-4', { phone: '380501234567' }],
        ['order-event INITIALIZED A-3', { email: 'buyer@b.co' }],
        ['order-event INITIALIZED A-4', { phone: '380501234567' }],
      ])
    })

    it('stores a resent order status once, sent or not, and a new status of it as new jobs', async () => {
      const order = serverOrder(fields('A-5'), { locators: { email: 'buyer@b.co' } })
      expect(await store.insertServerOrders({ orders: [order], receivedAt: T0 })).toEqual(['queued'])
      expect(await store.insertServerOrders({ orders: [order], receivedAt: T0 + 1 })).toEqual(['duplicate'])
      await drain(store)
      expect(await store.insertServerOrders({ orders: [order], receivedAt: T0 + 2 })).toEqual(['duplicate'])
      expect(await drain(store)).toEqual([])
      expect(await store.insertServerOrders({ orders: [{ ...order, order: fields('A-5', 'DELIVERED') }], receivedAt: T0 + 3 })).toEqual(['queued'])
      expect(shown(await drain(store)).map((j) => j.job)).toEqual(['order DELIVERED A-5', 'order-event DELIVERED A-5'])
      expect(await store.counts()).toMatchObject({ sent: 4, queued: 0, held: 0 })
    })

    it('gives a later status the visitor, contact and cart of the first, though the visitor has a new cart by then', async () => {
      await store.insertEvents({ visitor: 'visitor-ord-6', events: [cart('cart-bought', T0 - 10)], receivedAt: T0, anonymous: 'hold' })
      await store.insertServerOrders({ orders: [serverOrder(fields('A-6'), { visitorId: 'visitor-ord-6', locators: { externalCustomerId: 'c-6' } })], receivedAt: T0 + 1 })
      await store.insertEvents({ visitor: 'visitor-ord-6', events: [cart('cart-next', T0 + 100)], receivedAt: T0 + 100, anonymous: 'hold' })
      await drain(store)
      expect(await store.insertServerOrders({ orders: [serverOrder(fields('A-6', 'DELIVERED'), {})], receivedAt: T0 + 200 })).toEqual(['queued'])
      expect(shown(await drain(store))).toEqual([
        { job: 'order DELIVERED A-6', to: { externalCustomerId: 'c-6' }, cart: 'cart-bought', origin: 'server' },
        { job: 'order-event DELIVERED A-6', to: { externalCustomerId: 'c-6' }, cart: 'cart-bought', origin: 'server' },
      ])
    })

    it('holds a browser order of an unlinked visitor as its status event only, once per orderId, until the link', async () => {
      const result = await store.insertEvents({ visitor: 'visitor-ord-7', events: [purchase('B-7', 'cart-7')], receivedAt: T0, anonymous: 'forward' })
      expect(result).toMatchObject({ inserted: 1, held: 1, queued: 0 })
      // A reload of the thank-you page: a new event id, the same order.
      expect(await store.insertEvents({ visitor: 'visitor-ord-7', events: [purchase('B-7', 'cart-7', T0 + 60)], receivedAt: T0 + 60, anonymous: 'forward' })).toMatchObject({ inserted: 0, duplicates: 1 })
      expect(await drain(store)).toEqual([])
      await store.linkVisitor(link('visitor-ord-7', { email: 'a@b.co' }))
      expect(shown(await drain(store))).toEqual([{ job: 'order-event INITIALIZED B-7', to: { email: 'a@b.co' }, cart: 'cart-7', origin: 'browser' }])
    })

    it('lets the backend’s order replace a browser order of the same orderId not sent yet, and drops the browser’s that comes after it', async () => {
      await store.insertEvents({ visitor: 'visitor-ord-8', events: [purchase('B-8', 'cart-8')], receivedAt: T0, anonymous: 'hold' })
      const order = serverOrder(fields('B-8', 'INITIALIZED', { firstName: 'Olena' }), { visitorId: 'visitor-ord-8', locators: { email: 'buyer@b.co' } })
      expect(await store.insertServerOrders({ orders: [order], receivedAt: T0 + 1 })).toEqual(['queued'])
      expect(await store.insertEvents({ visitor: 'visitor-ord-8', events: [purchase('B-8', 'cart-8', T0 + 2)], receivedAt: T0 + 2, anonymous: 'hold' })).toMatchObject({ duplicates: 1 })
      const jobs = orderJobs(await drain(store))
      expect(jobs.map((j) => [j.kind, j.order.origin, j.locators, j.order.firstName]).sort()).toEqual([
        ['order', 'server', { email: 'buyer@b.co' }, 'Olena'],
        ['order-event', 'server', { email: 'buyer@b.co' }, 'Olena'],
      ])
      expect(await store.counts()).toMatchObject({ held: 0, queued: 0, sent: 2 })
    })

    it('sends the backend’s order event though a browser’s of the same orderId went out for another visitor', async () => {
      await store.linkVisitor(link('visitor-ord-12a', { email: 'guess@b.co' }))
      await store.insertEvents({ visitor: 'visitor-ord-12a', events: [purchase('B-12', 'cart-x')], receivedAt: T0, anonymous: 'hold' })
      await drain(store)
      const order = serverOrder(fields('B-12'), { visitorId: 'visitor-ord-12b', locators: { email: 'buyer@b.co' } })
      expect(await store.insertServerOrders({ orders: [order], receivedAt: T0 + 1 })).toEqual(['queued'])
      expect(shown(await drain(store)).map((j) => [j.job, j.to, j.origin])).toEqual([
        ['order INITIALIZED B-12', { email: 'buyer@b.co' }, 'server'],
        ['order-event INITIALIZED B-12', { email: 'buyer@b.co' }, 'server'],
      ])
      // The same buyer's browser and backend: one event.
      await store.insertEvents({ visitor: 'visitor-ord-12b', events: [purchase('B-13', 'cart-y')], receivedAt: T0 + 2, anonymous: 'hold' })
      await store.linkVisitor(link('visitor-ord-12b', { email: 'buyer@b.co' }))
      await drain(store)
      await store.insertServerOrders({ orders: [serverOrder(fields('B-13'), { visitorId: 'visitor-ord-12b' })], receivedAt: T0 + 3 })
      expect(shown(await drain(store)).map((j) => j.job)).toEqual(['order INITIALIZED B-13'])
    })

    it('never drops a held order for the cap on held events', async () => {
      await store.insertServerOrders({ orders: [serverOrder(fields('A-9'), { visitorId: 'visitor-ord-9' })], receivedAt: T0 })
      const views = Array.from({ length: 5 }, (_, i) => wireEvent('pageViewed', {}, { ts: T0 + i }))
      expect(await store.insertEvents({ visitor: 'visitor-ord-9', events: views, receivedAt: T0, anonymous: 'hold', maxHeld: 3 })).toMatchObject({ held: 5, dropped: 2 })
      expect(await store.counts()).toMatchObject({ held: 5 })
    })

    it('forgets carts and order contexts with held events, when the purge passes their time', async () => {
      await store.insertEvents({ visitor: 'visitor-ord-10', events: [cart('cart-10', T0)], receivedAt: T0, anonymous: 'hold' })
      await store.insertServerOrders({ orders: [serverOrder(fields('A-10'), { locators: { email: 'a@b.co' } })], receivedAt: T0 })
      await drain(store)
      expect(await store.purge({ sentBefore: 0, heldBefore: T0 + 1, limit: 100 })).toMatchObject({ orders: 2 })
      await store.insertServerOrders({ orders: [serverOrder(fields('A-11'), { visitorId: 'visitor-ord-10', locators: { email: 'a@b.co' } })], receivedAt: T0 + 2 })
      expect(shown(await drain(store)).map((j) => j.cart)).toEqual([undefined, undefined])
    })
  })
}
