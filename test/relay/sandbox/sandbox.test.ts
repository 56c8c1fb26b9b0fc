import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildApp } from '../../../src/relay/app.js'
import { loadConfig } from '../../../src/relay/ops/config.js'
import { startTestRelay, type TestRelay } from '../helpers.js'

const AUTH = `Basic ${Buffer.from('user:secret-key').toString('base64')}`
const json = (body: unknown, headers: Record<string, string> = { authorization: AUTH }) => ({
  method: 'POST',
  headers: { 'content-type': 'application/json', ...headers },
  body: JSON.stringify(body),
})
const PAGE = { eventTypeKey: 'pageViewed', keyValue: 'a@b.co', params: [{ name: 'page', value: '{"location":"https://x.io"}' }] }

describe('the sandbox', () => {
  let relay: TestRelay
  let api: string
  beforeAll(async () => {
    relay = await startTestRelay({ config: { autoStart: false } })
    api = `${relay.url}/sandbox/api`
  })
  afterAll(() => relay.stop())

  it('answers a valid Generate event 200 and records it', async () => {
    const res = await fetch(`${api}/v2/event`, json(PAGE))
    expect(res.status).toBe(200)
    const last = (await relay.recorded('/api/v2/event')).at(-1)!
    expect(last).toMatchObject({ method: 'POST', status: 200, authorized: true, body: PAGE })
  })

  it.each<[string, RequestInit, number, RegExp]>([
    ['without Basic auth', json(PAGE, {}), 401, /Basic auth/],
    ['with an empty API key', json(PAGE, { authorization: `Basic ${Buffer.from('user:').toString('base64')}` }), 401, /Basic auth/],
    ['that is not JSON', { method: 'POST', headers: { authorization: AUTH, 'content-type': 'application/json' }, body: '{' }, 400, /Invalid JSON/],
    ['sent as text/plain', { method: 'POST', headers: { authorization: AUTH, 'content-type': 'text/plain' }, body: '{}' }, 415, /application\/json/],
    ['missing a required param', json({ ...PAGE, params: [] }), 400, /following params: \[page\.location\]/],
  ])('refuses a Generate event %s', async (_name, init, status, message) => {
    const res = await fetch(`${api}/v2/event`, init)
    expect(res.status).toBe(status)
    expect(await res.text()).toMatch(message)
    expect((await relay.recorded('/api/v2/event')).at(-1)!.status).toBe(status)
  })

  it('answers Subscribe contact with the contact id, and 409 for the same request within a minute', async () => {
    const body = { contact: { channels: [{ type: 'email', value: 'new@example.com' }] }, formType: 'footer' }
    const first = await fetch(`${api}/v1/contact/subscribe`, json(body))
    expect(first.status).toBe(200)
    const { id } = (await first.json()) as { id: number }
    expect(id).toBeGreaterThan(0)
    const again = await fetch(`${api}/v1/contact/subscribe`, json(body))
    expect(again.status).toBe(409)
    expect(await again.text()).toMatch(/Duplicated request/)
    const other = await fetch(`${api}/v1/contact/subscribe`, json({ ...body, formType: 'popup' }))
    expect(await other.json()).toEqual({ id })
  })

  it('accepts Telegram tokens for an app', async () => {
    const res = await fetch(`${api}/v1/apps/0b6f9c1e-app/tokens`, json({ tokens: [{ token: '987654321', phone: '380501234567' }] }))
    expect(res.status).toBe(200)
    expect((await relay.recorded()).at(-1)!.path).toBe('/api/v1/apps/0b6f9c1e-app/tokens')
  })

  it('shows recorded requests on an HTML page, newest first, escaped', async () => {
    await fetch(`${api}/v2/event`, json({ ...PAGE, eventTypeKey: 'first' }))
    await fetch(`${api}/v2/event`, json({ ...PAGE, keyValue: '<script>alert(1)</script>' }))
    const res = await fetch(`${relay.url}/sandbox`)
    expect(res.headers.get('content-type')).toMatch(/^text\/html/)
    const html = await res.text()
    expect(html).not.toContain('<script>alert(1)</script>')
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;')
    expect(html.indexOf('&lt;script&gt;alert')).toBeLessThan(html.indexOf('>first<'))
    expect(html).toContain('&quot;location&quot;: &quot;https://x.io&quot;')
    expect(html).not.toMatch(/<link|src="http/)
  })

  it('lists requests after a given seq as JSON, and clears them when control is on', async () => {
    const keyOf = (r: { body: unknown }) => (r.body as { keyValue?: string }).keyValue
    await fetch(`${api}/v2/event`, json({ ...PAGE, keyValue: 'listed-first@example.com' }))
    await fetch(`${api}/v2/event`, json({ ...PAGE, keyValue: 'listed-after@example.com' }))
    const first = (await relay.recorded()).find((r) => keyOf(r) == 'listed-first@example.com')!
    const res = await fetch(`${relay.url}/sandbox/requests?since=${first.seq}`)
    const after = ((await res.json()) as { requests: { body: unknown }[] }).requests
    expect(after.map(keyOf)).toEqual(['listed-after@example.com'])
    expect((await fetch(`${relay.url}/sandbox/requests`, { method: 'DELETE' })).status).toBe(200)
    expect(await relay.recorded()).toEqual([])
  })

  it('injects latency into its answers', async () => {
    await relay.faults({ latencyMs: 150 })
    const started = performance.now()
    expect((await fetch(`${api}/v2/event`, json(PAGE))).status).toBe(200)
    expect(performance.now() - started).toBeGreaterThanOrEqual(140)
    await fetch(`${relay.url}/sandbox/faults`, { method: 'DELETE' })
  })

  it('answers 429 above 350 Generate event calls in one second', async () => {
    const app = await buildApp({ ...loadConfig({ LOG_LEVEL: 'silent', SQLITE_PATH: ':memory:' }), autoStart: false })
    const payload = JSON.stringify(PAGE)
    const send = () => app.inject({ method: 'POST', url: '/sandbox/api/v2/event', headers: { authorization: AUTH, 'content-type': 'application/json' }, payload })
    const answers = await Promise.all(Array.from({ length: 360 }, send))
    const codes = answers.map((a) => a.statusCode)
    expect(codes.filter((c) => c == 200)).toHaveLength(350)
    expect(codes.filter((c) => c == 429)).toHaveLength(10)
    await app.close()
  })
})

describe('the sandbox without SANDBOX_CONTROL', () => {
  it('has no fault or reset endpoints', async () => {
    const app = await buildApp({ ...loadConfig({ LOG_LEVEL: 'silent', SQLITE_PATH: ':memory:' }), autoStart: false })
    expect((await app.inject({ method: 'POST', url: '/sandbox/faults', payload: {} })).statusCode).toBe(404)
    expect((await app.inject({ method: 'DELETE', url: '/sandbox/requests' })).statusCode).toBe(404)
    await app.close()
  })

  it('is not mounted when an API key is set', async () => {
    const app = await buildApp({ ...loadConfig({ LOG_LEVEL: 'silent', SQLITE_PATH: ':memory:', ESPUTNIK_API_KEY: 'k' }), autoStart: false })
    expect((await app.inject('/sandbox')).statusCode).toBe(404)
    expect(app.relay.config.baseUrl).toBe('https://esputnik.com')
    await app.close()
  })
})
