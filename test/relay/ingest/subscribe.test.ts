import { describe, expect, it } from 'vitest'
import { stoppedAfterEach, batchOf, waitFor, wireEvent } from '../helpers.js'
import { WEB_EVENT_EXAMPLES } from '../esputnik/event-v2-examples.js'
import { bodyOf, deliveries, metric, paramOf, startIdentityRelay, subscribeBody, TS } from '../identity-helpers.js'

const start = stoppedAfterEach(startIdentityRelay)

const DAY = 86_400_000
const SUBSCRIBE = '/api/v1/contact/subscribe'
const searchOf = (r: { body: unknown }) => paramOf(r as never, 'search')

describe('subscribe joins a visitor’s cookie history to the contact', () => {
  it('sends Subscribe contact, then every held event of all seven types with the email locator and occurredAt, in order; the next event goes straight through', async () => {
    const relay = await start()
    const visitor = 'visitor-anonymous-1'
    // Seven events a second apart, arriving in two batches, the later half first.
    const events = WEB_EVENT_EXAMPLES.map((ex, i) => wireEvent(ex.type, ex.data, { url: ex.url ?? 'https://example.com/p', ts: TS + i * 1000 }))
    expect((await relay.send(batchOf(visitor, events.slice(4)))).status).toBe(202)
    expect((await relay.send(batchOf(visitor, events.slice(0, 4)))).status).toBe(202)
    expect(await relay.app.relay.store.counts()).toMatchObject({ held: 7, queued: 0 })
    expect(await relay.recorded()).toEqual([])

    const form = { email: ' Buyer@Example.com ', phone: '+380 50 123 45 67', firstName: 'Olena', groups: ['Subscribers'], formType: 'footer' }
    const res = await relay.post('/v1/subscribe', subscribeBody(visitor, form))
    expect(res.status).toBe(202)
    const [subscribe, ...replayed] = await waitFor(async () => {
      const list = await relay.recorded()
      return list.length == 8 && list
    }, 'Subscribe contact and seven events')
    expect(subscribe).toMatchObject({
      path: SUBSCRIBE,
      status: 200,
      body: {
        contact: { channels: [{ type: 'email', value: 'buyer@example.com' }, { type: 'sms', value: '380501234567' }], firstName: 'Olena' },
        groups: ['Subscribers'],
        formType: 'footer',
      },
    })
    const contactId = String((subscribe!.reply as { id: number }).id)
    WEB_EVENT_EXAMPLES.forEach((ex, i) => {
      const got = replayed[i]!
      expect(got.status).toBe(200)
      expect(bodyOf(got)).toEqual({
        eventTypeKey: ex.type,
        keyValue: contactId,
        params: [
          { name: 'contactId', value: contactId },
          { name: 'email', value: 'buyer@example.com' },
          ...ex.body.params.filter((p) => p.name != 'email' && p.name != 'phone'),
          { name: 'occurredAt', value: new Date(TS + i * 1000).toISOString() },
        ],
      })
    })

    await relay.send(batchOf(visitor, [wireEvent('searchRequest', { search: 'mug', isFound: true as unknown as 1 }, { ts: Date.now() })]))
    const next = (await deliveries(relay, 8))[7]!
    expect(bodyOf(next)).toEqual({
      eventTypeKey: 'searchRequest',
      keyValue: contactId,
      params: [
        { name: 'contactId', value: contactId },
        { name: 'email', value: 'buyer@example.com' },
        { name: 'search', value: 'mug' },
        { name: 'isFound', value: '1' },
      ],
    })
    expect(await metric(relay, 'subscribes_accepted_total')).toBe(1)
    expect(await metric(relay, 'subscribes_sent_total')).toBe(1)
    expect(await metric(relay, 'links_total{source="subscribe"}')).toBe(1)
    expect(await metric(relay, 'events_replayed_total')).toBe(7)
  })

  it('counts 409 on a repeated subscribe as success: the second device is linked and its history replayed', async () => {
    const relay = await start()
    const form = { email: 'twin@example.com', firstName: 'Ann' }
    await relay.send(batchOf('device-one-aaaa', [wireEvent('searchRequest', { search: 'one' })]))
    await relay.post('/v1/subscribe', subscribeBody('device-one-aaaa', form))
    await deliveries(relay, 1)
    await relay.send(batchOf('device-two-bbbb', [wireEvent('searchRequest', { search: 'two' })]))
    await relay.post('/v1/subscribe', subscribeBody('device-two-bbbb', form))
    const [, second] = await deliveries(relay, 2)
    expect((await relay.recorded(SUBSCRIBE)).map((r) => [r.status, r.reply])).toEqual([
      [200, { id: expect.any(Number) }],
      [409, 'Duplicated request'],
    ])
    // A 409 carries no contactId, so the email is the key.
    expect(bodyOf(second!)).toMatchObject({ keyValue: 'twin@example.com', params: [{ name: 'email', value: 'twin@example.com' }, { name: 'search', value: 'two' }, { name: 'occurredAt' }] })
    expect(await relay.app.relay.store.listDeadLetters()).toEqual([])
    expect(await metric(relay, 'subscribes_sent_total')).toBe(2)
  })

  it('retries a subscribe answered 503 and links once it gets through', async () => {
    const relay = await start()
    await relay.faults({ status: 503, count: 2 })
    await relay.send(batchOf('visitor-retry-sub', [wireEvent('searchRequest', { search: 'late' })]))
    await relay.post('/v1/subscribe', subscribeBody('visitor-retry-sub', { phone: '380501234567' }))
    const [got] = await deliveries(relay, 1)
    expect((await relay.recorded(SUBSCRIBE)).map((r) => r.status)).toEqual([503, 503, 200])
    expect(paramOf(got!, 'phone')).toBe('380501234567')
  })

  it('moves a subscribe eSputnik refuses (400) to dead letters, keeps the history held, and links when replayed', async () => {
    const relay = await start()
    await relay.faults({ status: 400, count: 1 })
    await relay.send(batchOf('visitor-refused', [wireEvent('searchRequest', { search: 'kept' })]))
    await relay.post('/v1/subscribe', subscribeBody('visitor-refused', { email: 'refused@example.com' }))
    const { store, forwarder } = relay.app.relay
    const [dead] = await waitFor(() => store.listDeadLetters(), 'a dead letter')
    expect(dead).toMatchObject({ kind: 'subscribe', type: 'subscribe', status: 400, reason: 'eSputnik answered 400: Injected fault 400' })
    expect(await store.getLink('visitor-refused')).toBeUndefined()
    expect(await store.counts()).toMatchObject({ held: 1, dead: 1 })
    expect(await metric(relay, 'subscribes_dead_total')).toBe(1)

    await store.replayDeadLetters('all', Date.now())
    forwarder.wake()
    const [got] = await deliveries(relay, 1)
    expect(searchOf(got!)).toBe('kept')
  })

  it('does not replay history older than HELD_EVENTS_TTL_DAYS, and the purge removes it', async () => {
    let offset = 0
    const relay = await start({}, { deps: { now: () => Date.now() + offset } })
    await relay.send(batchOf('visitor-ttl-1', [wireEvent('searchRequest', { search: 'old' })]))
    offset = 31 * DAY
    await relay.send(batchOf('visitor-ttl-1', [wireEvent('searchRequest', { search: 'recent' })]))
    await relay.post('/v1/subscribe', subscribeBody('visitor-ttl-1', { email: 'ttl@example.com' }))
    const [got] = await deliveries(relay, 1)
    expect(searchOf(got!)).toBe('recent')
    expect(await relay.app.relay.store.counts()).toMatchObject({ held: 1 })
    expect(await relay.app.relay.purger.runOnce()).toMatchObject({ held: 1 })
    expect(await metric(relay, 'events_held_dropped_total{reason="expired"}')).toBe(1)
    expect(await relay.delivered()).toHaveLength(1)
  })

  it('holds at most HELD_EVENTS_MAX_PER_VISITOR events, dropping the oldest and counting them', async () => {
    const relay = await start({ HELD_EVENTS_MAX_PER_VISITOR: '3' })
    const events = ['a', 'b', 'c', 'd', 'e'].map((search, i) => wireEvent('searchRequest', { search }, { ts: TS + i }))
    await relay.send(batchOf('visitor-capped', events))
    expect(await metric(relay, 'events_held_dropped_total{reason="cap"}')).toBe(2)
    await relay.post('/v1/subscribe', subscribeBody('visitor-capped', { email: 'cap@example.com' }))
    expect((await deliveries(relay, 3)).map(searchOf)).toEqual(['c', 'd', 'e'])
  })

  it('replays without occurredAt when REPLAY_OCCURRED_AT=false', async () => {
    const relay = await start({ REPLAY_OCCURRED_AT: 'false' })
    await relay.send(batchOf('visitor-no-time', [wireEvent('searchRequest', { search: 'mug' })]))
    await relay.post('/v1/subscribe', subscribeBody('visitor-no-time', { email: 'a@example.com' }))
    const [got] = await deliveries(relay, 1)
    expect(bodyOf(got!).params.map((p) => p.name)).toEqual(['contactId', 'email', 'search'])
  })
})

describe('POST /v1/subscribe', () => {
  const visitor = 'visitor-inputs-1'

  it.each<[string, () => unknown, number, RegExp]>([
    ['a bad email', () => subscribeBody(visitor, { email: 'buyer@' }), 400, /^email is not a valid email address$/],
    ['a bad phone', () => subscribeBody(visitor, { phone: '12-34' }), 400, /^phone is not a valid phone number in international form$/],
    ['no email or phone', () => subscribeBody(visitor, { firstName: 'Ann' }), 400, /^subscribe needs an email or a phone$/],
    ['a misspelt field', () => subscribeBody(visitor, { mail: 'a@b.co' }), 400, /^subscribe takes no field "mail"/],
    ['no visitor', () => ({ ...subscribeBody(visitor, { email: 'a@b.co' }), visitor: undefined }), 400, /^visitor must be an id/],
    ['invalid JSON', () => '{"email":', 400, /body is not valid JSON/],
    ['a body over 16 KB', () => subscribeBody(visitor, { email: 'a@b.co', firstName: 'x'.repeat(17_000) }), 413, /at most 16384 bytes/],
  ])('refuses %s with its status and reason, storing nothing', async (_name, body, status, reason) => {
    const relay = await start({}, { config: { autoStart: false } })
    const res = await relay.post('/v1/subscribe', body())
    expect(res.status).toBe(status)
    expect(((await res.json()) as { error: string }).error).toMatch(reason)
    expect(await relay.app.relay.store.counts()).toMatchObject({ queued: 0 })
  })

  it('accepts a subscribe as the SDK writes it: version, visitor and the site’s currency first', async () => {
    const relay = await start({}, { config: { autoStart: false } })
    const text = `{"v":1,"visitor":"${visitor}","currencyCode":"USD","email":"a@b.co","firstName":"Ann","id":"lz1k2j3h4g5f6d7s8a","ts":${TS}}`
    const res = await relay.post('/v1/subscribe', text)
    expect(res.status).toBe(202)
    expect(await res.json()).toEqual({ accepted: true, id: 'lz1k2j3h4g5f6d7s8a' })
  })

  it('stores a resent subscribe (same id) once', async () => {
    const relay = await start({}, { config: { autoStart: false } })
    const body = subscribeBody(visitor, { email: 'a@b.co' })
    for (let i = 0; i < 3; i++) expect(await (await relay.post('/v1/subscribe', body)).json()).toEqual({ accepted: true, id: body.id })
    expect(await relay.app.relay.store.counts()).toMatchObject({ queued: 1 })
  })

  it('limits subscribes per visitor, then per IP, with 429 and Retry-After', async () => {
    const relay = await start({ SUBSCRIBE_RATE_PER_VISITOR: '2', SUBSCRIBE_RATE_PER_MINUTE: '4' }, { config: { autoStart: false } })
    const post = (v: string) => relay.post('/v1/subscribe', subscribeBody(v, { email: 'a@b.co' }))
    expect((await post('visitor-limit-a')).status).toBe(202)
    expect((await post('visitor-limit-a')).status).toBe(202)
    const perVisitor = await post('visitor-limit-a')
    expect(perVisitor.status).toBe(429)
    expect(Number(perVisitor.headers.get('retry-after'))).toBeGreaterThan(0)
    expect(((await perVisitor.json()) as { error: string }).error).toMatch(/for this visitor/)
    expect((await post('visitor-limit-b')).status).toBe(202)
    const perIp = await post('visitor-limit-c')
    expect(perIp.status).toBe(429)
    expect(((await perIp.json()) as { error: string }).error).toMatch(/rate limit exceeded, retry in/i)
  })

  it('gives an allowed origin CORS headers on subscribe and identify, and no other origin', async () => {
    const relay = await start({ ALLOWED_ORIGINS: 'https://shop.example.com' }, { config: { autoStart: false } })
    for (const path of ['/v1/subscribe', '/v1/identify']) {
      const ok = await relay.post(path, subscribeBody(visitor, { email: 'a@b.co' }), { origin: 'https://shop.example.com' })
      expect(ok.headers.get('access-control-allow-origin')).toBe('https://shop.example.com')
      const other = await relay.post(path, subscribeBody(visitor, { email: 'a@b.co' }), { origin: 'https://evil.example.com' })
      expect(other.headers.get('access-control-allow-origin')).toBeNull()
    }
  })
})
