import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestRelay, type TestRelay } from '../helpers.js'
import { SERVER_TOKEN } from '../identity-helpers.js'
import { backendOrder } from '../order-helpers.js'

const SHOP = 'https://shop.example.com'
const OTHER = 'https://evil.example.com'

const corsOf = (res: Response) => [...res.headers.keys()].filter((name) => name.startsWith('access-control-'))

/** POST as a shop's backend would, with an Origin header anyway (a script on the shop's page could send one). */
const postServer = (relay: TestRelay, path: string, body: unknown, origin = SHOP) =>
  fetch(`${relay.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${SERVER_TOKEN}`, origin },
    body: JSON.stringify(body),
  })

describe('CORS on the 404 of a path that is no route', () => {
  // No Telegram settings: no /v1/telegram/link. SERVER_TOKEN: the backend's routes are there.
  let relay: TestRelay
  beforeAll(async () => {
    relay = await startTestRelay({ env: { ALLOWED_ORIGINS: SHOP, SERVER_TOKEN }, config: { autoStart: false } })
  })
  afterAll(() => relay.stop())

  const askLink = (origin: string) => relay.post('/v1/telegram/link', { v: 1, visitor: `v-${randomUUID()}` }, { origin })

  it('lets an allowed origin read the 404 of /v1/telegram/link on a relay without the Telegram settings', async () => {
    const res = await askLink(SHOP)
    expect(res.status).toBe(404)
    expect(res.headers.get('access-control-allow-origin')).toBe(SHOP)
    expect(res.headers.get('access-control-allow-credentials')).toBeNull()
    expect(res.headers.get('vary')).toMatch(/origin/i)
    expect(await res.json()).toMatchObject({ error: 'Not Found', statusCode: 404 })
  })

  it('gives another origin that 404 without CORS headers', async () => {
    const res = await askLink(OTHER)
    expect(res.status).toBe(404)
    expect(corsOf(res)).toEqual([])
  })

  it('answers the backend’s routes and the 404s under /v1/server/ without CORS headers, whatever the Origin', async () => {
    const orders = await postServer(relay, '/v1/server/orders', { orders: [backendOrder('CORS-1', { email: 'cors@example.com' })] })
    expect(orders.status).toBe(202)
    expect(corsOf(orders)).toEqual([])
    const identify = await postServer(relay, '/v1/server/identify', { visitorId: `v-${randomUUID()}`, email: 'cors@example.com' })
    expect(identify.status).toBe(202)
    expect(corsOf(identify)).toEqual([])
    const unknown = await postServer(relay, '/v1/server/no-such-route', {})
    expect(unknown.status).toBe(404)
    expect(corsOf(unknown)).toEqual([])
  })

  it('keeps a path outside /v1/ on the plain 404, without CORS headers', async () => {
    const res = await relay.post('/no-such-page', {}, { origin: SHOP })
    expect(res.status).toBe(404)
    expect(corsOf(res)).toEqual([])
  })
})

describe('CORS of /v1/server/ on a relay without SERVER_TOKEN', () => {
  let relay: TestRelay
  beforeAll(async () => {
    relay = await startTestRelay({ env: { ALLOWED_ORIGINS: SHOP }, config: { autoStart: false } })
  })
  afterAll(() => relay.stop())

  it('answers the missing backend routes 404 without CORS headers, while a missing browser route has them', async () => {
    const orders = await postServer(relay, '/v1/server/orders', { orders: [backendOrder('CORS-2', { email: 'cors@example.com' })] })
    expect(orders.status).toBe(404)
    expect(corsOf(orders)).toEqual([])
    const link = await relay.post('/v1/telegram/link', { v: 1, visitor: `v-${randomUUID()}` }, { origin: SHOP })
    expect(link.status).toBe(404)
    expect(link.headers.get('access-control-allow-origin')).toBe(SHOP)
  })
})
