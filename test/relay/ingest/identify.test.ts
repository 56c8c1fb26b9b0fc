import { createHmac } from 'node:crypto'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { normalizeEmail } from '../../../src/wire/contact.js'
import { stoppedAfterEach, batchOf, startTestRelay, wireEvent, type TestRelay } from '../helpers.js'
import { bodyOf, deliveries, identifyBody, metric, paramOf, sign, startIdentityRelay, TS } from '../identity-helpers.js'

const start = stoppedAfterEach(startIdentityRelay)
const startPlain = stoppedAfterEach(startTestRelay)

const searchOf = (r: { body: unknown }) => paramOf(r as never, 'search')
const identify = (relay: TestRelay, visitor: string, input: object, ts?: number) => relay.post('/v1/identify', identifyBody(visitor, input, ts))

/** A customer as a shop's backend knows them: a customer number or an email, and what the signature covers. */
type Who = { externalCustomerId: string } | { email: string }
const customerId = fc.stringMatching(/^[\w.-]{1,40}$/).map((externalCustomerId): Who => ({ externalCustomerId }))
const email = fc.emailAddress().filter((e) => normalizeEmail(e) !== undefined).map((e): Who => ({ email: e }))
const who = fc.oneof(customerId, email)
const subjectOf = (w: Who) => ('externalCustomerId' in w ? w.externalCustomerId : normalizeEmail(w.email)!)

describe('POST /v1/identify: signatures, as properties over random identifiers', () => {
  let relay: TestRelay
  let n = 0
  const nextVisitor = () => `visitor-prop-${++n}`
  beforeAll(async () => {
    relay = await startIdentityRelay({}, { config: { autoStart: false } })
  })
  afterAll(() => relay.stop())

  it('links any visitor whose identify carries the signature of its own identifier', async () => {
    await fc.assert(
      fc.asyncProperty(who, async (w) => {
        const visitor = nextVisitor()
        const res = await identify(relay, visitor, { ...w, signature: sign(subjectOf(w)) })
        expect(res.status).toBe(202)
        // Linked to the one identifier the signature covers: the customer id as given, or the email trimmed and lower-cased.
        const expected = 'email' in w ? { email: w.email.trim().toLowerCase() } : { externalCustomerId: w.externalCustomerId }
        expect(await relay.app.relay.store.getLink(visitor)).toEqual(expected)
      }),
      { numRuns: 40 },
    )
  })

  it('answers 401 and links nothing for a missing, malformed, random, tampered, wrong-key or other user’s signature', async () => {
    const badSignature = (w: Who) =>
      fc.oneof(
        fc.constant(undefined),
        fc.string({ maxLength: 80 }),
        fc.stringMatching(/^[\da-f]{64}$/).filter((s) => s != sign(subjectOf(w))),
        fc.nat({ max: 63 }).map((i) => {
          const good = sign(subjectOf(w))
          return good.slice(0, i) + (good[i] == '0' ? '1' : '0') + good.slice(i + 1)
        }),
        fc.string({ minLength: 1 }).map((key) => createHmac('sha256', `not-${key}`).update(subjectOf(w)).digest('hex')),
        who.filter((other) => subjectOf(other) != subjectOf(w)).map((other) => sign(subjectOf(other))),
      )
    const refusedBefore = await metric(relay, 'identify_refused_total')
    let runs = 0
    await fc.assert(
      fc.asyncProperty(who.chain((w) => fc.tuple(fc.constant(w), badSignature(w))), async ([w, signature]) => {
        runs++
        const visitor = nextVisitor()
        const res = await identify(relay, visitor, { ...w, ...(signature === undefined ? {} : { signature }) })
        expect(res.status).toBe(401)
        expect(((await res.json()) as { error: string }).error).toMatch(/signature is missing or wrong/)
        expect(await relay.app.relay.store.getLink(visitor)).toBeUndefined()
      }),
      { numRuns: 120 },
    )
    expect(await metric(relay, 'identify_refused_total')).toBe(refusedBefore + runs)
  })
})

describe('identify joins a logged-in visitor’s history', () => {
  it('links with a good signature and replays the held history with that locator and occurredAt', async () => {
    const relay = await start()
    const events = ['a', 'b'].map((search, i) => wireEvent('searchRequest', { search }, { ts: TS + i }))
    await relay.send(batchOf('visitor-login-1', events))
    const res = await identify(relay, 'visitor-login-1', { externalCustomerId: 'cust-42', signature: sign('cust-42') })
    expect(res.status).toBe(202)
    expect(await res.json()).toEqual({ linked: true })
    const got = await deliveries(relay, 2)
    expect(got.map((r) => [bodyOf(r).keyValue, searchOf(r), paramOf(r, 'occurredAt')])).toEqual([
      ['cust-42', 'a', new Date(TS).toISOString()],
      ['cust-42', 'b', new Date(TS + 1).toISOString()],
    ])
    // Identify never calls Subscribe contact.
    expect(await relay.recorded('/api/v1/contact/subscribe')).toEqual([])
    expect(await metric(relay, 'links_total{source="identify"}')).toBe(1)
  })

  it('takes the signature of the email as the relay normalises it (trimmed, lower-cased)', async () => {
    const relay = await start({}, { config: { autoStart: false } })
    const res = await identify(relay, 'visitor-email-1', { email: '  Buyer@Example.COM ', signature: sign('buyer@example.com').toUpperCase() })
    expect(res.status).toBe(202)
    expect(await relay.app.relay.store.getLink('visitor-email-1')).toEqual({ email: 'buyer@example.com' })
  })

  it('refuses a browser identify with 401 when the relay has no IDENTIFY_SECRET', async () => {
    const relay = await startPlain({ env: { ANONYMOUS_EVENTS: 'hold' }, config: { autoStart: false } })
    const res = await identify(relay, 'visitor-nosecret', { externalCustomerId: 'c-1', signature: sign('c-1') })
    expect(res.status).toBe(401)
    expect(((await res.json()) as { error: string }).error).toMatch(/no IDENTIFY_SECRET/)
    expect(await relay.app.relay.store.getLink('visitor-nosecret')).toBeUndefined()
  })

  it('refuses an identify without an externalCustomerId or email with 400', async () => {
    const relay = await start({}, { config: { autoStart: false } })
    const res = await identify(relay, 'visitor-phone-only', { phone: '380501234567', signature: sign('380501234567') })
    expect(res.status).toBe(400)
    expect(((await res.json()) as { error: string }).error).toBe('identify needs an externalCustomerId or an email (the signature covers one of them)')
  })

  it('accepts an unsigned identify under IDENTIFY_TRUST=unsigned, and warns at boot', async () => {
    const lines: string[] = []
    const relay = await start({ IDENTIFY_TRUST: 'unsigned', LOG_LEVEL: 'warn' }, { config: { autoStart: false }, deps: { logStream: { write: (l) => lines.push(l) } } })
    expect(lines.join('')).toMatch(/IDENTIFY_TRUST=unsigned: browser identify is accepted without a signature.*Development only/)
    expect((await identify(relay, 'visitor-dev-1', { externalCustomerId: 'c-dev' })).status).toBe(202)
    expect(await relay.app.relay.store.getLink('visitor-dev-1')).toEqual({ externalCustomerId: 'c-dev' })
  })

  it('answers 429 with Retry-After after 60 identify calls of one visitor in a minute', async () => {
    const relay = await start({}, { config: { autoStart: false } })
    const signed = { externalCustomerId: 'c-busy', signature: sign('c-busy') }
    for (let i = 0; i < 60; i++) expect((await identify(relay, 'visitor-busy-1', signed)).status).toBe(202)
    const res = await identify(relay, 'visitor-busy-1', signed)
    expect(res.status).toBe(429)
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0)
    expect((await identify(relay, 'visitor-busy-2', signed)).status).toBe(202)
  })

  it('links two devices to one contact and replays each device’s history exactly once', async () => {
    const relay = await start()
    await relay.send(batchOf('device-phone-1', [wireEvent('searchRequest', { search: 'phone-1' }, { ts: TS })]))
    await relay.send(batchOf('device-laptop-1', [wireEvent('searchRequest', { search: 'laptop-1' }, { ts: TS + 1 })]))
    for (const device of ['device-phone-1', 'device-laptop-1', 'device-phone-1', 'device-laptop-1']) {
      expect((await identify(relay, device, { email: 'two@example.com', signature: sign('two@example.com') })).status).toBe(202)
    }
    await relay.send(batchOf('device-phone-1', [wireEvent('searchRequest', { search: 'phone-2' }, { ts: Date.now() })]))
    const got = await deliveries(relay, 3)
    expect(got.map(searchOf).sort()).toEqual(['laptop-1', 'phone-1', 'phone-2'])
    expect(got.every((r) => bodyOf(r).keyValue == 'two@example.com')).toBe(true)
    await relay.app.relay.forwarder.stop()
    expect(await relay.delivered()).toHaveLength(3)
    expect(await metric(relay, 'links_total{source="identify"}')).toBe(2)
  })

  it('re-identified as another contact: history before the new link stays with the first, events after go to the new one', async () => {
    const relay = await start()
    const visitor = 'visitor-shared-pc'
    await relay.send(batchOf(visitor, [wireEvent('searchRequest', { search: 'anon' }, { ts: TS })]))
    await identify(relay, visitor, { externalCustomerId: 'alice', signature: sign('alice') }, TS + 10)
    await relay.send(batchOf(visitor, [wireEvent('searchRequest', { search: 'alice-1' }, { ts: TS + 20 })]))
    await deliveries(relay, 2)
    await identify(relay, visitor, { externalCustomerId: 'bob', signature: sign('bob') }, TS + 30)
    // alice-2 happened before bob logged in but arrives after: it stays alice's.
    await relay.send(batchOf(visitor, [wireEvent('searchRequest', { search: 'alice-2' }, { ts: TS + 25 }), wireEvent('searchRequest', { search: 'bob-1' }, { ts: TS + 40 })]))
    const got = await deliveries(relay, 4)
    expect(got.map((r) => [searchOf(r), bodyOf(r).keyValue])).toEqual([
      ['anon', 'alice'],
      ['alice-1', 'alice'],
      ['alice-2', 'alice'],
      ['bob-1', 'bob'],
    ])
    expect((await relay.app.relay.store.listLinks(visitor)).map((l) => l.locators.externalCustomerId)).toEqual(['alice', 'bob'])
  })

  it('keeps the link across a restart: the next event goes straight through with the locators', async () => {
    const first = await startIdentityRelay()
    await identify(first, 'visitor-restart-1', { externalCustomerId: 'c-9', signature: sign('c-9') })
    await first.stop(true)
    const second = await start({}, { dir: first.dir })
    await second.send(batchOf('visitor-restart-1', [wireEvent('searchRequest', { search: 'after' }, { ts: Date.now() })]))
    const [got] = await deliveries(second, 1)
    expect(bodyOf(got!)).toEqual({ eventTypeKey: 'searchRequest', keyValue: 'c-9', params: [{ name: 'externalCustomerId', value: 'c-9' }, { name: 'search', value: 'after' }] })
  })
})
