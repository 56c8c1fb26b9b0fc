import { describe, expect, it } from 'vitest'
import { stoppedAfterEach, batchOf, waitFor, wireEvent, type TestRelay } from '../helpers.js'
import { bodyOf, deliveries, identifyBody, metric, paramOf, SERVER_TOKEN, sign, startIdentityRelay, subscribeBody } from '../identity-helpers.js'

const start = stoppedAfterEach(startIdentityRelay)

const serverIdentify = (relay: TestRelay, body: unknown, token?: string) =>
  fetch(`${relay.url}/v1/server/identify`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token === undefined ? {} : { authorization: `Bearer ${token}` }) },
    body: JSON.stringify(body),
  })

describe('POST /v1/server/identify', () => {
  it('links a visitor for the site’s backend with the bearer token, and replays its history', async () => {
    const relay = await start({ SERVER_TOKEN })
    await relay.send(batchOf('visitor-backend-1', [wireEvent('searchRequest', { search: 'held' })]))
    const res = await serverIdentify(relay, { visitorId: 'visitor-backend-1', phone: '+380 50 123 45 67' }, SERVER_TOKEN)
    expect(res.status).toBe(202)
    const [got] = await deliveries(relay, 1)
    expect(bodyOf(got!).keyValue).toBe('380501234567')
    expect(paramOf(got!, 'search')).toBe('held')
    expect(await metric(relay, 'links_total{source="server"}')).toBe(1)
  })

  it.each<[string, string | undefined]>([
    ['no Authorization header', undefined],
    ['a wrong token', 'wrong-token-0123456789abcdef'],
    ['a prefix of the token', SERVER_TOKEN.slice(0, -1)],
    ['the token with more after it', `${SERVER_TOKEN}x`],
  ])('answers 401 to %s, before reading the body, and links nothing', async (_name, token) => {
    const relay = await start({ SERVER_TOKEN }, { config: { autoStart: false } })
    const res = await serverIdentify(relay, { visitorId: 'visitor-backend-2', email: 'a@b.co' }, token)
    expect(res.status).toBe(401)
    expect(res.headers.get('www-authenticate')).toBe('Bearer')
    expect(await res.json()).toEqual({ error: 'Authorization: Bearer <SERVER_TOKEN> is missing or wrong' })
    expect(await relay.app.relay.store.getLink('visitor-backend-2')).toBeUndefined()
    const garbage = await fetch(`${relay.url}/v1/server/identify`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{' })
    expect(garbage.status).toBe(401)
  })

  it('refuses a body without an identifier with 400 once authorised', async () => {
    const relay = await start({ SERVER_TOKEN }, { config: { autoStart: false } })
    const res = await serverIdentify(relay, { visitorId: 'visitor-backend-3' }, SERVER_TOKEN)
    expect(res.status).toBe(400)
    expect(await res.json()).toEqual({ error: 'identify needs an externalCustomerId, an email or a phone' })
  })

  it('does not exist when SERVER_TOKEN is unset', async () => {
    const relay = await start({}, { config: { autoStart: false } })
    expect((await serverIdentify(relay, { visitorId: 'visitor-backend-4', email: 'a@b.co' }, 'anything-at-all-0123')).status).toBe(404)
  })
})

describe('logs during the identity flows', () => {
  it('never carry an email or a phone', async () => {
    const lines: string[] = []
    const relay = await start({ SERVER_TOKEN, LOG_LEVEL: 'debug' }, { deps: { logStream: { write: (l) => lines.push(l) } } })
    await relay.faults({ status: 400, count: 1 })
    await relay.send(batchOf('visitor-logs-1', [wireEvent('searchRequest', { search: 'x' })]))
    await relay.post('/v1/subscribe', subscribeBody('visitor-logs-1', { email: 'secret.buyer@example.com', phone: '+380501234567' }))
    await relay.post('/v1/subscribe', subscribeBody('visitor-logs-2', { email: 'secret.buyer@example.com', phone: '+380501234567' }))
    await relay.post('/v1/identify', identifyBody('visitor-logs-3', { email: 'secret.buyer@example.com', signature: sign('someone@else.com') }))
    await relay.post('/v1/identify', identifyBody('visitor-logs-4', { email: 'secret.buyer@example.com', signature: sign('secret.buyer@example.com') }))
    await serverIdentify(relay, { visitorId: 'visitor-logs-5', phone: '380501234567' }, SERVER_TOKEN)
    await waitFor(async () => (await relay.app.relay.store.listDeadLetters()).length == 1 && (await metric(relay, 'subscribes_sent_total')) == 1, 'both subscribes settled')
    await relay.stop()
    const text = lines.join('')
    expect(text).toMatch(/moved to dead letters/)
    expect(text).toMatch(/identify refused: signature missing or wrong/)
    // Links are logged, with their locators masked.
    expect(text).toContain('"email":"s***@example.com"')
    expect(text).toContain('"phone":"380*****567"')
    expect(text).not.toMatch(/secret\.buyer|380501234567|50123/)
    // Nor a visitor id, which mints Telegram links: a fingerprint tells the lines of one visitor apart.
    expect(text).not.toMatch(/visitor-logs-\d/)
    expect(text).toMatch(/"visitor":"v#[\w-]{10}"/)
  })
})
