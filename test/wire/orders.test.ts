import { describe, expect, it } from 'vitest'
import { parseBatch } from '../../src/wire/batch.js'
import { checkServerOrder, MAX_ORDERS_PER_REQUEST, parseServerOrders } from '../../src/wire/orders.js'
import { parseServerEvents } from '../../src/wire/server-events.js'

const ORDER = {
  orderId: 'KL-1042',
  status: 'INITIALIZED',
  totalCost: 52.5,
  currencyCode: 'USD',
  date: '2026-12-01T10:11:10+02:00',
  items: [{ productId: 'sku-1', quantity: 2, price: 26.25, name: 'Sencha' }],
  visitorId: 'visitor-0001',
}

describe('a backend order', () => {
  it('is taken with its contact normalised and its date in UTC', () => {
    const checked = checkServerOrder({ ...ORDER, email: ' Buyer@Example.COM ', phone: '+38 (050) 123-45-67', externalCustomerId: 42, source: 'offline' })
    expect(checked).toEqual({
      order: {
        orderId: 'KL-1042',
        status: 'INITIALIZED',
        totalCost: 52.5,
        currencyCode: 'USD',
        date: '2026-12-01T08:11:10.000Z',
        items: [{ productId: 'sku-1', quantity: 2, price: 26.25, name: 'Sencha' }],
        source: 'offline',
      },
      visitorId: 'visitor-0001',
      locators: { externalCustomerId: '42', email: 'buyer@example.com', phone: '380501234567' },
    })
  })

  it('takes a date in epoch milliseconds', () => {
    expect(checkServerOrder({ ...ORDER, date: Date.UTC(2026, 11, 1) }).order.date).toBe('2026-12-01T00:00:00.000Z')
  })

  it.each<[string, Record<string, unknown>, RegExp]>([
    ['without a status', { status: undefined }, /status must be one of INITIALIZED, IN_PROGRESS, DELIVERED, CANCELLED/],
    ['with an unknown status', { status: 'SHIPPED' }, /status must be one of/],
    ['with a date without a zone', { date: '2026-12-01T10:11:10' }, /date must be an ISO 8601 date and time with a zone/],
    ['with a date that is no date', { date: 'yesterday' }, /date must be/],
    ['with a currency that is no ISO code', { currencyCode: 'usd' }, /currencyCode must be an ISO 4217 code/],
    ['without items', { items: undefined }, /items must be a list/],
    ['with a line without a price', { items: [{ productId: 'sku-1', quantity: 1 }] }, /items\[0\]\.price must be a number/],
    ['with neither a visitor nor a contact', { visitorId: undefined }, /needs a visitorId \(the sc cookie\) or the contact/],
    ['with a visitor id that is no sc cookie', { visitorId: 'a b' }, /visitorId must be an id/],
    ['with a bad email', { email: 'not-an-email' }, /email is not a valid email address/],
    ['with a field it does not know', { customer: 'x' }, /order takes no field "customer"/],
    ['with a source other than online or offline', { source: 'phone' }, /source must be online or offline/],
  ])('is refused %s, with the reason', (_name, change, reason) => {
    expect(() => checkServerOrder({ ...ORDER, ...change })).toThrow(reason)
  })
})

describe('a request of backend orders', () => {
  it('refuses a bad order with its place and id, and takes the others', () => {
    const { orders, refused } = parseServerOrders({ orders: [ORDER, { ...ORDER, orderId: 'KL-1043', totalCost: -1 }, { ...ORDER, status: 'DELIVERED' }] })
    expect(orders.map((o) => [o.index, o.order.orderId, o.order.status])).toEqual([
      [0, 'KL-1042', 'INITIALIZED'],
      [2, 'KL-1042', 'DELIVERED'],
    ])
    expect(refused).toEqual([{ index: 1, orderId: 'KL-1043', reason: 'totalCost must be a number >= 0' }])
  })

  it('refuses the same order and status twice in one request', () => {
    expect(parseServerOrders({ orders: [ORDER, ORDER] }).refused).toEqual([{ index: 1, orderId: 'KL-1042', reason: 'the same orderId and status appear earlier in this request' }])
  })

  it.each<[string, unknown, RegExp]>([
    ['that is no object', [], /body must be a JSON object/],
    ['without orders', {}, /orders must be a non-empty list/],
    ['with too many orders', { orders: Array(MAX_ORDERS_PER_REQUEST + 1).fill(ORDER) }, /at most 500 orders/],
    ['with another field', { orders: [ORDER], shop: 1 }, /body takes no field "shop"/],
  ])('is refused whole when it is a body %s', (_name, body, reason) => {
    expect(() => parseServerOrders(body)).toThrow(reason)
  })
})

describe('an order status among the backend’s events', () => {
  it('is refused with a pointer to /v1/server/orders, where it goes with its Add orders row', () => {
    const { events, refused } = parseServerEvents({ events: [{ id: 'event-0003-order', type: 'orderDelivered', ts: 1_800_000_000_000, email: 'a@example.com', data: {} }] })
    expect(events).toEqual([])
    expect(refused).toEqual([{ index: 0, id: 'event-0003-order', reason: 'orderDelivered is an order status: post the order to /v1/server/orders' }])
  })
})

describe('the browser’s orderCreated in a batch', () => {
  const purchase = (data: Record<string, unknown>) => ({ id: 'event-0001-order', type: 'orderCreated', ts: 1_800_000_000_000, data })
  const DATA = { orderId: 'KL-1042', totalCost: 52.5, items: [{ productId: 'sku-1', quantity: 2, price: 26.25 }], recycleStateId: 'cart-0001' }

  it('is taken with the batch’s currency when it names none', () => {
    const { events, rejected } = parseBatch({ v: 1, visitor: 'visitor-0001', currencyCode: 'EUR', events: [purchase(DATA)] })
    expect(rejected).toEqual([])
    expect(events[0]).toMatchObject({ type: 'orderCreated', data: { ...DATA, currencyCode: 'EUR' } })
  })

  it('is rejected with the reason when it names no cart, and the rest of the batch is taken', () => {
    const { recycleStateId: _r, ...noCart } = DATA
    const view = { id: 'event-0002-view', type: 'pageViewed', ts: 1_800_000_000_000, url: 'https://shop.example.com/' }
    const { events, rejected } = parseBatch({ v: 1, visitor: 'visitor-0001', events: [purchase(noCart), view] })
    expect(events.map((e) => e.type)).toEqual(['pageViewed'])
    expect(rejected).toEqual([{ id: 'event-0001-order', reason: 'orderCreated: recycleStateId must be a string of 1 to 200 characters' }])
  })
})
