import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestRelay, type TestRelay } from '../helpers.js'

const AUTH = `Basic ${Buffer.from('user:secret-key').toString('base64')}`
const post = (url: string, body: unknown) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: AUTH }, body: JSON.stringify(body) })
const ORDER = { externalOrderId: 'KL-1', email: 'a@example.com', status: 'INITIALIZED', date: '2026-12-01T10:11:10Z', currency: 'USD', totalCost: 10, items: [{ externalItemId: 'sku-1', quantity: 1 }] }

describe('the sandbox’s Add orders', () => {
  let relay: TestRelay
  let url: string
  beforeAll(async () => {
    relay = await startTestRelay({ config: { autoStart: false } })
    url = `${relay.url}/sandbox/api/v1/orders`
  })
  afterAll(() => relay.stop())

  it('takes good orders and lists each bad one in failedOrders with the reason, as eSputnik does', async () => {
    const { externalOrderId: _id, ...noId } = ORDER
    const { email: _e, ...noContact } = ORDER
    const res = await post(url, { orders: [ORDER, { ...noContact, externalOrderId: 'KL-2' }, { ...noId, totalCost: 'ten' }, { ...ORDER, externalOrderId: 'KL-4', status: 'SHIPPED' }] })
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual({
      failedOrders: [
        { order: { ...noContact, externalOrderId: 'KL-2' }, error: 'All of the following fields are empty: externalCustomerId, email, phone. At least one of them is required' },
        { order: { ...noId, totalCost: 'ten' }, error: 'Required fields are empty or have a wrong format: externalOrderId, totalCost' },
        { order: { ...ORDER, externalOrderId: 'KL-4', status: 'SHIPPED' }, error: 'Unknown status SHIPPED' },
      ],
    })
    expect((await relay.recorded('/api/v1/orders')).at(-1)).toMatchObject({ status: 200, authorized: true })
  })

  it('refuses a call that holds no orders with 400', async () => {
    const res = await post(url, { orders: [] })
    expect(res.status).toBe(400)
    expect(await res.text()).toBe('orders must be a non-empty list')
  })

  it('refuses a good order too when a fault asks it to, and shows the call on its page', async () => {
    await relay.faults({ failedOrders: 1 })
    const res = await post(url, { orders: [ORDER, { ...ORDER, externalOrderId: 'KL-5' }] })
    expect(await res.json()).toEqual({ failedOrders: [{ order: ORDER, error: 'Injected failure: the order was not added' }] })
    const page = await (await fetch(`${relay.url}/sandbox`)).text()
    expect(page).toContain('Add orders')
    expect(page).toContain('order KL-5')
    expect(page).toContain('refused: Injected failure')
  })
})
