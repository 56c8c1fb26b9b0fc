import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildApp } from '../../../src/relay/app.js'
import { loadConfig } from '../../../src/relay/ops/config.js'
import type { Store } from '../../../src/relay/store/types.js'
import { batchOf, startTestRelay, wireEvent, type TestRelay } from '../helpers.js'

const SHOP = 'https://shop.example.com'

describe('POST /v1/e', () => {
  let relay: TestRelay
  beforeAll(async () => {
    relay = await startTestRelay({ env: { ALLOWED_ORIGINS: `${SHOP},https://m.shop.example.com` }, config: { autoStart: false } })
  })
  afterAll(() => relay.stop())

  const good = () => batchOf('visitor-inputs-1', [wireEvent('pageViewed', {})])
  const many = (n: number) => batchOf('visitor-inputs-1', Array.from({ length: n }, () => wireEvent('pageViewed', {})))

  it.each<[string, () => RequestInit, number, RegExp]>([
    ['a form post (wrong content type)', () => ({ body: 'a=1', headers: { 'content-type': 'application/x-www-form-urlencoded' } }), 415, /content type .* is not accepted; send text\/plain or application\/json/],
    ['invalid JSON', () => ({ body: '{"v":1,', headers: { 'content-type': 'text/plain' } }), 400, /body is not valid JSON/],
    ['an empty body', () => ({ body: '', headers: { 'content-type': 'text/plain' } }), 400, /not valid JSON/],
    ['a body over 64 KB', () => ({ body: JSON.stringify({ ...good(), pad: 'x'.repeat(70_000) }), headers: { 'content-type': 'text/plain' } }), 413, /at most 65536 bytes/],
    ['51 events', () => ({ body: JSON.stringify(many(51)), headers: { 'content-type': 'application/json' } }), 400, /at most 50 events/],
    ['no events', () => ({ body: JSON.stringify(many(0)), headers: { 'content-type': 'text/plain' } }), 400, /non-empty list/],
    ['a wrong wire version', () => ({ body: JSON.stringify({ ...good(), v: 2 }), headers: { 'content-type': 'text/plain' } }), 400, /v must be 1/],
    ['a JSON array', () => ({ body: '[]', headers: { 'content-type': 'text/plain' } }), 400, /body must be a JSON object/],
    ['a bad visitor id', () => ({ body: JSON.stringify({ ...good(), visitor: 'x' }), headers: { 'content-type': 'text/plain' } }), 400, /visitor must be an id/],
    ['a lower-case currencyCode', () => ({ body: JSON.stringify({ ...good(), currencyCode: 'usd' }), headers: { 'content-type': 'text/plain' } }), 400, /currencyCode must be an ISO 4217 code like USD/],
  ])('refuses %s with %i and a reason', async (_name, init, status, reason) => {
    const res = await fetch(`${relay.url}/v1/e`, { method: 'POST', ...init() })
    expect(res.status).toBe(status)
    expect(((await res.json()) as { error: string }).error).toMatch(reason)
  })

  it.each<[string, unknown, RegExp]>([
    ['an unknown type', { id: 'bad-type-0001', type: 'purchase', ts: 1, data: {} }, /type must be one of the seven/],
    ['a product without productId', { id: 'no-product-01', type: 'productViewed', ts: 1, data: { price: 1 } }, /productId must be/],
    ['a pageViewed without url', { id: 'no-url-000001', type: 'pageViewed', ts: 1, data: {} }, /url is required/],
    ['a cart line without quantity', { id: 'no-qty-000001', type: 'cartUpdated', ts: 1, data: { products: [{ productId: 'a', price: 1 }], recycleStateId: 'c' } }, /products\[0\]\.quantity must be/],
  ])('accepts the rest of a batch and rejects %s with its reason', async (_name, bad, reason) => {
    const ok = wireEvent('searchRequest', { search: 'mug' })
    const res = await relay.send({ ...batchOf('visitor-partial-1', []), events: [ok, bad] })
    expect(res.status).toBe(202)
    const body = (await res.json()) as { accepted: number; rejected: { id: string; reason: string }[] }
    expect(body.accepted).toBe(1)
    expect(body.rejected).toHaveLength(1)
    expect(body.rejected[0]!.id).toBe((bad as { id: string }).id)
    expect(body.rejected[0]!.reason).toMatch(reason)
  })

  it('answers 202 with the count for 50 events sent as application/json', async () => {
    const res = await fetch(`${relay.url}/v1/e`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(many(50)) })
    expect(res.status).toBe(202)
    expect(await res.json()).toEqual({ accepted: 50, rejected: [] })
  })

  it('gives an allowed origin its CORS headers, without credentials', async () => {
    const res = await relay.send(good(), { origin: SHOP })
    expect(res.headers.get('access-control-allow-origin')).toBe(SHOP)
    expect(res.headers.get('access-control-allow-credentials')).toBeNull()
    const preflight = await fetch(`${relay.url}/v1/e`, {
      method: 'OPTIONS',
      headers: { origin: SHOP, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    })
    expect(preflight.status).toBeLessThan(300)
    expect(preflight.headers.get('access-control-allow-origin')).toBe(SHOP)
  })

  it.each(['https://evil.example.com', 'https://shop.example.com.evil.io', 'null'])(
    'gives the origin %s no CORS headers and never echoes it',
    async (origin) => {
      const res = await relay.send(good(), { origin })
      expect(res.status).toBe(202)
      expect(res.headers.get('access-control-allow-origin')).toBeNull()
      const preflight = await fetch(`${relay.url}/v1/e`, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'POST' },
      })
      expect(preflight.headers.get('access-control-allow-origin')).toBeNull()
    },
  )
})

describe('POST /v1/e limits', () => {
  it('answers 429 with Retry-After once an IP goes over INGEST_RATE_PER_MINUTE', async () => {
    const relay = await startTestRelay({ env: { INGEST_RATE_PER_MINUTE: '3' }, config: { autoStart: false } })
    const batch = batchOf('visitor-limit-1', [wireEvent('pageViewed', {})])
    for (let i = 0; i < 3; i++) expect((await relay.send(batch)).status).toBe(202)
    const res = await relay.send(batch)
    expect(res.status).toBe(429)
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0)
    expect(((await res.json()) as { error: string }).error).toMatch(/rate limit/i)
    await relay.stop()
  })

  it('answers 500 without details, and no 202, when the store cannot commit', async () => {
    const failing = { insertEvents: () => Promise.reject(new Error('SQLITE_FULL: database or disk is full at /secret/path')) } as unknown as Store
    const app = await buildApp({ ...loadConfig({ LOG_LEVEL: 'silent' }), autoStart: false }, { store: failing })
    const res = await app.inject({ method: 'POST', url: '/v1/e', headers: { 'content-type': 'text/plain' }, payload: JSON.stringify(batchOf('visitor-fail-1', [wireEvent('pageViewed', {})])) })
    expect(res.statusCode).toBe(500)
    expect(res.json()).toEqual({ error: 'Internal Server Error' })
    await app.close()
  })
})

describe('the access log of /v1/e', () => {
  const logged = async (level: string) => {
    const lines: string[] = []
    const relay = await startTestRelay({ env: { LOG_LEVEL: level }, config: { autoStart: false }, deps: { logStream: { write: (l) => lines.push(l) } } })
    try {
      expect((await relay.send(batchOf('visitor-log-1', [wireEvent('pageViewed', {})]))).status).toBe(202)
      expect((await relay.send('{"v":1')).status).toBe(400)
      expect((await relay.post('/v1/subscribe', '{"v":1')).status).toBe(400)
    } finally {
      await relay.stop()
    }
    const urls = (path: string) => lines.map((l) => JSON.parse(l) as { req?: { url: string }; res?: { statusCode: number } }).filter((l) => l.req?.url == path)
    return { events: urls('/v1/e'), subscribe: urls('/v1/subscribe') }
  }

  it('stays quiet at LOG_LEVEL=info, thousands of beacons a second being no news, while subscribe is still logged', async () => {
    const { events, subscribe } = await logged('info')
    expect(events).toEqual([])
    expect(subscribe.length).toBeGreaterThan(0)
  })

  it('logs every beacon at LOG_LEVEL=debug', async () => {
    const { events } = await logged('debug')
    expect(events.length).toBeGreaterThanOrEqual(2)
  })
})
