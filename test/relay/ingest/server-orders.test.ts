import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { batchOf, stoppedAfterEach, waitFor, wireEvent, type TestRelay } from '../helpers.js'
import { deliveries, SERVER_TOKEN, startIdentityRelay, subscribeBody } from '../identity-helpers.js'
import { addedOrders, atLeast, backendOrder, expectValidUpstream, orderEvents, postOrders, purchaseBeacon, untilQuiet } from '../order-helpers.js'
import { relayStoresDroppedAfterEach } from '../stores.js'

const STORES = relayStoresDroppedAfterEach()
const start = stoppedAfterEach(startIdentityRelay)

const unique = (what: string) => `${what}-${randomUUID().slice(0, 8)}`
const cartEvent = (recycleStateId: string) => wireEvent('cartUpdated', { products: [{ productId: 'sku-1001', quantity: 2, price: 18.5 }], recycleStateId }, { ts: Date.now() })

/** A visitor who put something in a cart and subscribed: the cart's event has reached eSputnik for its contact. */
async function subscribedWithCart(relay: TestRelay, visitor: string, email: string, recycleStateId: string) {
  expect((await relay.send(batchOf(visitor, [cartEvent(recycleStateId)]))).status).toBe(202)
  expect((await relay.post('/v1/subscribe', subscribeBody(visitor, { email }, Date.now()))).status).toBe(202)
  const [cart] = await deliveries(relay, 1)
  return (cart!.body as { params: { name: string; value: string }[] }).params.find((p) => p.name == 'contactId')!.value
}

describe.each(STORES)('orders from the shop’s backend (%s)', (_store, storeEnv) => {
  it('an order naming only the visitor carries its cart’s recycleStateId and its contact, as orderCreated and as an Add orders row', async () => {
    const relay = await start({ SERVER_TOKEN, ...(await storeEnv()) })
    const [visitor, email, cart] = [unique('visitor-order'), `${unique('buyer')}@example.com`, unique('cart')]
    const contactId = await subscribedWithCart(relay, visitor, email, cart)

    const answer = await postOrders(relay, [backendOrder('KL-1001', { visitorId: visitor })])
    expect(answer).toEqual({ status: 202, body: { orders: [{ orderId: 'KL-1001', status: 'INITIALIZED', accepted: true, held: false }] } })

    const [event] = await atLeast(() => orderEvents(relay), 1, 'orderCreated')
    expect(event).toMatchObject({ eventTypeKey: 'orderCreated', keyValue: contactId })
    expect(event!.named).toMatchObject({ contactId, email, externalOrderId: 'KL-1001', status: 'INITIALIZED', totalCost: '52.5', currency: 'USD', recycleStateId: cart })
    const [row] = await atLeast(() => addedOrders(relay), 1, 'the Add orders row')
    expect(row).toMatchObject({ externalOrderId: 'KL-1001', email, status: 'INITIALIZED', totalCost: 52.5, currency: 'USD', additionalInfo: { recycleStateId: cart } })
    expect(row).not.toHaveProperty('contactId')
    await expectValidUpstream(relay)
  })

  it('an order placed before the visitor subscribed is held, and the subscribe releases it for the new contact', async () => {
    const relay = await start({ SERVER_TOKEN, ...(await storeEnv()) })
    const [visitor, email] = [unique('visitor-early'), `${unique('early')}@example.com`]
    const answer = await postOrders(relay, [backendOrder('KL-1002', { visitorId: visitor })])
    expect(answer.body.orders).toEqual([{ orderId: 'KL-1002', status: 'INITIALIZED', accepted: true, held: true }])
    expect(await relay.app.relay.store.counts()).toMatchObject({ held: 2, queued: 0 })

    expect((await relay.post('/v1/subscribe', subscribeBody(visitor, { email }, Date.now()))).status).toBe(202)
    const [event] = await atLeast(() => orderEvents(relay), 1, 'orderCreated after the subscribe')
    expect(event!.named).toMatchObject({ email, externalOrderId: 'KL-1002' })
    expect(event!.named.contactId).toEqual(expect.any(String))
    const [row] = await atLeast(() => addedOrders(relay), 1, 'the Add orders row after the subscribe')
    expect(row).toMatchObject({ externalOrderId: 'KL-1002', email })
    await expectValidUpstream(relay)
  })

  it('a browser order of an unlinked visitor goes nowhere until the visitor links, then only as its event, never to Add orders', async () => {
    const relay = await start({ SERVER_TOKEN, ANONYMOUS_EVENTS: 'forward', ...(await storeEnv()) })
    const [visitor, cart] = [unique('visitor-thanks'), unique('cart')]
    expect((await relay.send(purchaseBeacon(visitor, 'KL-1003', cart))).status).toBe(202)
    // A later event of the same visitor goes upstream at once (ANONYMOUS_EVENTS=forward): by then the order went nowhere.
    await relay.send(batchOf(visitor, [wireEvent('searchRequest', { search: 'after the purchase' })]))
    await deliveries(relay, 1)
    await untilQuiet(relay)
    expect(await orderEvents(relay)).toEqual([])
    expect(await relay.app.relay.store.counts()).toMatchObject({ held: 1 })
    // A reload of the thank-you page sends it again, with a new event id.
    await relay.send(purchaseBeacon(visitor, 'KL-1003', cart))

    await fetch(`${relay.url}/v1/server/identify`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${SERVER_TOKEN}` },
      body: JSON.stringify({ visitorId: visitor, externalCustomerId: 'c-1003' }),
    })
    const [event] = await atLeast(() => orderEvents(relay), 1, 'orderCreated after the link')
    expect(event).toMatchObject({ eventTypeKey: 'orderCreated', keyValue: 'c-1003' })
    expect(event!.named).toMatchObject({ externalOrderId: 'KL-1003', recycleStateId: cart, currency: 'USD', status: 'INITIALIZED' })
    await untilQuiet(relay)
    expect(await orderEvents(relay)).toHaveLength(1)
    expect(await relay.recorded('/api/v1/orders')).toEqual([])
    await expectValidUpstream(relay)
  })
})

describe('POST /v1/server/orders', () => {
  it('takes a resent order once: one event and one Add orders row', async () => {
    const relay = await start({ SERVER_TOKEN })
    const order = backendOrder('KL-2001', { email: 'repeat@example.com' })
    expect((await postOrders(relay, [order])).body.orders).toEqual([{ orderId: 'KL-2001', status: 'INITIALIZED', accepted: true, held: false }])
    expect((await postOrders(relay, [order])).body.orders).toEqual([{ orderId: 'KL-2001', status: 'INITIALIZED', accepted: true, held: false, duplicate: true }])
    await atLeast(() => addedOrders(relay), 1, 'the Add orders row')
    await atLeast(() => orderEvents(relay), 1, 'orderCreated')
    expect((await postOrders(relay, [order])).body.orders[0]).toMatchObject({ duplicate: true })
    await untilQuiet(relay)
    expect(await orderEvents(relay)).toHaveLength(1)
    expect(await addedOrders(relay)).toHaveLength(1)
    await expectValidUpstream(relay)
  })

  it('sends the same order from the thank-you page and from the backend once', async () => {
    const relay = await start({ SERVER_TOKEN })
    const visitor = unique('visitor-both')
    await fetch(`${relay.url}/v1/server/identify`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${SERVER_TOKEN}` },
      body: JSON.stringify({ visitorId: visitor, email: 'both@example.com' }),
    })
    await relay.send(purchaseBeacon(visitor, 'KL-2002', 'cart-both'))
    await postOrders(relay, [backendOrder('KL-2002', { visitorId: visitor })])
    await atLeast(() => addedOrders(relay), 1, 'the Add orders row')
    await untilQuiet(relay)
    expect((await orderEvents(relay)).map((e) => [e.eventTypeKey, e.named.externalOrderId])).toEqual([['orderCreated', 'KL-2002']])
    expect((await addedOrders(relay)).map((o) => o.externalOrderId)).toEqual(['KL-2002'])
  })

  it('dead-letters the order eSputnik lists in failedOrders, with its reason, and delivers the rest of the call', async () => {
    const relay = await start({ SERVER_TOKEN }, { config: { autoStart: false } })
    const early = new Date(Date.now() - 60_000).toISOString()
    const answer = await postOrders(relay, [backendOrder('KL-3001', { email: 'a@example.com' }, { date: early }), backendOrder('KL-3002', { email: 'b@example.com' })])
    expect(answer.body.orders.map((o) => o.accepted)).toEqual([true, true])
    await relay.faults({ failedOrders: 1 })
    relay.app.relay.forwarder.start()

    const [dead] = await waitFor(() => relay.app.relay.store.listDeadLetters(), 'a dead letter')
    expect(dead).toMatchObject({ id: 'order/INITIALIZED/KL-3001', kind: 'order', type: 'order', reason: 'eSputnik refused the order: Injected failure: the order was not added' })
    const [call] = await relay.recorded('/api/v1/orders')
    expect((call!.body as { orders: { externalOrderId: string }[] }).orders.map((o) => o.externalOrderId)).toEqual(['KL-3001', 'KL-3002'])
    await atLeast(() => orderEvents(relay), 2, 'both orderCreated events')
    await waitFor(async () => (await relay.app.relay.store.counts()).sent == 3, 'the rest recorded as sent')
    expect(await relay.app.relay.store.counts()).toMatchObject({ sent: 3, dead: 1, queued: 0 })
  })

  it('answers each order accepted or refused with its reason, and a bad one costs the others nothing', async () => {
    const relay = await start({ SERVER_TOKEN })
    const answer = await postOrders(relay, [
      backendOrder('KL-4001', { email: 'good@example.com' }),
      backendOrder('KL-4002', {}),
      backendOrder('KL-4003', { phone: '+380 50 123 45 67' }, { status: 'SHIPPED' }),
    ])
    expect(answer).toEqual({
      status: 202,
      body: {
        orders: [
          { orderId: 'KL-4001', status: 'INITIALIZED', accepted: true, held: false },
          { orderId: 'KL-4002', accepted: false, reason: 'order needs a visitorId (the sc cookie) or the contact: externalCustomerId, email or phone' },
          { orderId: 'KL-4003', accepted: false, reason: 'status must be one of INITIALIZED, IN_PROGRESS, DELIVERED, CANCELLED' },
        ],
      },
    })
    await atLeast(() => addedOrders(relay), 1, 'the good order upstream')
  })

  it('answers 401 without the bearer token, 400 to a body that is no list of orders, and does not exist without SERVER_TOKEN', async () => {
    const relay = await start({ SERVER_TOKEN }, { config: { autoStart: false } })
    const wrong = await postOrders(relay, [backendOrder('KL-5001', { email: 'a@example.com' })], 'wrong-token-0123456789abcdef')
    expect(wrong).toEqual({ status: 401, body: { error: 'Authorization: Bearer <SERVER_TOKEN> is missing or wrong' } })
    expect(await relay.app.relay.store.counts()).toMatchObject({ queued: 0, held: 0 })
    const bad = await postOrders(relay, [])
    expect(bad).toEqual({ status: 400, body: { error: 'orders must be a non-empty list' } })
    const none = await start({}, { config: { autoStart: false } })
    expect((await postOrders(none, [backendOrder('KL-5002', { email: 'a@example.com' })])).status).toBe(404)
  })
})
