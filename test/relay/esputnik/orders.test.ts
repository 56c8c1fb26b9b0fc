import { describe, expect, it } from 'vitest'
import { mapOrderEvent } from '../../../src/relay/esputnik/order-event.js'
import { buildOrder, orderResults, PATH_ADD_ORDERS } from '../../../src/relay/esputnik/orders.js'
import { PATH_GENERATE_EVENT } from '../../../src/relay/esputnik/event-v2.js'
import type { StoredOrder } from '../../../src/relay/store/order-types.js'
import type { OperationContext } from '../../../src/relay/esputnik/operation.js'
import { operationFor } from '../../../src/relay/esputnik/registry.js'
import type { OrderEventJob, OrderJob } from '../../../src/relay/store/types.js'
import { upstreamBodyErrors } from '../../support/openapi.js'

const ORDER: StoredOrder = {
  origin: 'server',
  orderId: 'KL-1042',
  status: 'INITIALIZED',
  totalCost: 52.5,
  currencyCode: 'USD',
  date: '2026-12-01T08:11:10.000Z',
  items: [
    { productId: 'sku-1', quantity: 2, price: 20, name: 'Sencha', category: 'tea', url: 'https://shop.example.com/p/1', imageUrl: 'https://shop.example.com/1.png' },
    { productId: 'sku-2', quantity: 1, price: 12.5 },
  ],
  recycleStateId: 'cart-0001',
  firstName: 'Olena',
  shipping: 4.9,
  discount: 2,
  deliveryMethod: 'courier',
}
const CONTACT = { contactId: '100001', email: 'buyer@example.com' }

describe('an order status as its Generate event', () => {
  const body = mapOrderEvent(ORDER, CONTACT)
  const param = (name: string) => body.params.find((p) => p.name == name)?.value

  it('is the status’s event for the contact, keyed by its contactId', () => {
    expect(body).toMatchObject({ eventTypeKey: 'orderCreated', keyValue: '100001' })
    expect(mapOrderEvent({ ...ORDER, status: 'DELIVERED' }, { email: 'buyer@example.com' })).toMatchObject({ eventTypeKey: 'orderDelivered', keyValue: 'buyer@example.com' })
    expect(mapOrderEvent({ ...ORDER, status: 'IN_PROGRESS' }, CONTACT).eventTypeKey).toBe('orderUpdated')
    expect(mapOrderEvent({ ...ORDER, status: 'CANCELLED' }, CONTACT).eventTypeKey).toBe('orderCancelled')
  })

  it('carries the order, the cart it closes and its lines as eSputnik’s shop modules send them, numbers as text', () => {
    expect(body.params.map((p) => p.name)).toEqual(['contactId', 'email', 'externalOrderId', 'status', 'totalCost', 'currency', 'date', 'items', 'recycleStateId', 'firstName', 'shipping', 'deliveryMethod'])
    expect([param('externalOrderId'), param('status'), param('totalCost'), param('currency'), param('recycleStateId'), param('shipping')]).toEqual(['KL-1042', 'INITIALIZED', '52.5', 'USD', 'cart-0001', '4.9'])
    expect(JSON.parse(param('items') as string)).toEqual([
      { externalItemId: 'sku-1', name: 'Sencha', category: 'tea', quantity: 2, cost: 20, url: 'https://shop.example.com/p/1', imageUrl: 'https://shop.example.com/1.png' },
      { externalItemId: 'sku-2', quantity: 1, cost: 12.5 },
    ])
  })

  it('validates against eSputnik’s definition', () => {
    expect(upstreamBodyErrors(PATH_GENERATE_EVENT, body)).toEqual([])
  })

  it('is never made without a contact', () => {
    expect(() => mapOrderEvent(ORDER, {})).toThrow(/needs the contact/)
  })
})

describe('an order status as an Add orders row', () => {
  it('names the contact by every identifier known, the cart in additionalInfo, and validates against eSputnik’s definition', () => {
    const order = buildOrder(ORDER, { contactId: '100001', externalCustomerId: 'c-42', email: 'buyer@example.com' })
    expect(order).toEqual({
      externalOrderId: 'KL-1042',
      externalCustomerId: 'c-42',
      email: 'buyer@example.com',
      status: 'INITIALIZED',
      date: '2026-12-01T08:11:10.000Z',
      currency: 'USD',
      totalCost: 52.5,
      firstName: 'Olena',
      shipping: 4.9,
      discount: 2,
      deliveryMethod: 'courier',
      additionalInfo: { recycleStateId: 'cart-0001' },
      items: [
        { externalItemId: 'sku-1', name: 'Sencha', category: 'tea', quantity: 2, cost: 20, url: 'https://shop.example.com/p/1', imageUrl: 'https://shop.example.com/1.png' },
        { externalItemId: 'sku-2', quantity: 1, cost: 12.5 },
      ],
    })
    expect(upstreamBodyErrors(PATH_ADD_ORDERS, { orders: [order] })).toEqual([])
  })

  it('is never made with only a contactId, which Add orders has no field for', () => {
    expect(() => buildOrder(ORDER, { contactId: '100001' })).toThrow(/needs the contact by externalCustomerId, email or phone/)
  })
})

describe('the operation an order job goes to', () => {
  // Old held history released by a link, in every replay mode: the case a history operation would take.
  const base = { seq: 1, id: 'order-job-1', visitor: 'visitor-0001', locators: CONTACT, replay: true, past: true, attempts: 0, receivedAt: 1, queuedAt: 1 }
  const contexts = ['auto', 'past', 'live'].map((replayMode) => ({ replayOccurredAt: true, replayMode, now: Date.parse(ORDER.date) + 30 * 86_400_000 }) as unknown as OperationContext)

  it('is Generate event for the status event, live, whatever its age, and Add orders for the order row', () => {
    for (const context of contexts) {
      expect(operationFor({ ...base, kind: 'order-event', order: ORDER } as OrderEventJob, context)?.name).toBe('order-event')
      expect(operationFor({ ...base, kind: 'order', order: ORDER } as OrderJob, context)?.name).toBe('orders')
    }
  })
})

describe('eSputnik’s answer to Add orders', () => {
  const job = (orderId: string, status: StoredOrder['status'] = 'INITIALIZED') => ({ kind: 'order', order: { ...ORDER, orderId, status } }) as OrderJob
  const reply = (body: unknown) => ({ status: 200, body: JSON.stringify(body) })

  it('dead-letters each order it lists in failedOrders with its reason, by id and status, and counts the rest delivered', () => {
    const failedOrders = [{ order: { externalOrderId: 'B', status: 'DELIVERED' }, error: 'Required fields are empty: currency' }]
    expect(orderResults(reply({ failedOrders }), [job('A'), job('B'), job('B', 'DELIVERED')])).toEqual([
      { outcome: 'sent' },
      { outcome: 'sent' },
      { outcome: 'dead', reason: 'eSputnik refused the order: Required fields are empty: currency' },
    ])
  })

  it('counts every order delivered when nothing failed, or the answer says nothing', () => {
    expect(orderResults(reply({ failedOrders: [] }), [job('A')])).toEqual([{ outcome: 'sent' }])
    expect(orderResults({ status: 200, body: '' }, [job('A')])).toEqual([{ outcome: 'sent' }])
  })
})
