import { describe, expect, it } from 'vitest'
import type { EraseResponse } from '../../../src/wire/server-types.js'
import { batchOf, stoppedAfterEach, waitFor, wireEvent, type TestRelay } from '../helpers.js'
import { bodyOf, deliveries, SERVER_TOKEN, startIdentityRelay, subscribeBody } from '../identity-helpers.js'
import { quietRecord, recordText } from '../quiet.js'
import { relayStoresDroppedAfterEach } from '../stores.js'

const EMAIL = 'erase-me@example.com'
const zeros = { held: 0, queued: 0, sent: 0, dead: 0 }

/** `token` null: no Authorization header. */
const erase = (relay: TestRelay, body: unknown, token: string | null = SERVER_TOKEN) =>
  fetch(`${relay.url}/v1/server/erase`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token === null ? {} : { authorization: `Bearer ${token}` }) },
    body: typeof body == 'string' ? body : JSON.stringify(body),
  })

async function erased(relay: TestRelay, body: unknown): Promise<EraseResponse['erased']> {
  const res = await erase(relay, body)
  expect(res.status).toBe(200)
  return ((await res.json()) as EraseResponse).erased
}

const search = (text: string) => wireEvent('searchRequest', { search: text }, { ts: Date.now() - 1000 })

const stores = relayStoresDroppedAfterEach()
const start = stoppedAfterEach(startIdentityRelay)

describe.each(stores)('POST /v1/server/erase on %s', (_name, storeEnv) => {
  const startWith = async () => start({ SERVER_TOKEN, ...(await storeEnv()) })

  it('leaves nothing for a visitor’s later subscribe to replay of what came before the erase', async () => {
    const relay = await startWith()
    await relay.send(batchOf('visitor-erase-01', [search('before-erase-1'), search('before-erase-2')]))
    expect(await erased(relay, { visitorId: 'visitor-erase-01' })).toMatchObject({
      visitors: 1,
      links: 0,
      jobs: { event: { ...zeros, held: 2 }, subscribe: zeros },
    })
    const subscribe = await relay.post('/v1/subscribe', subscribeBody('visitor-erase-01', { email: EMAIL }, Date.now()))
    expect(subscribe.status).toBe(202)
    await waitFor(() => relay.app.relay.store.getLink('visitor-erase-01'), 'the subscribe’s link')
    await relay.send(batchOf('visitor-erase-01', [search('after-subscribe')]))
    const [after] = await deliveries(relay, 1)
    expect(bodyOf(after!).keyValue).not.toBe('visitor-erase-01')
    const all = await quietRecord(relay)
    expect(recordText(all)).toContain('after-subscribe')
    expect(recordText(all)).not.toContain('before-erase')
  })

  it('holds a visitor’s next events after an erase by email, instead of sending them under the erased contact', async () => {
    const relay = await startWith()
    await relay.post('/v1/subscribe', subscribeBody('visitor-erase-02', { email: EMAIL }, Date.now()))
    await waitFor(() => relay.app.relay.store.getLink('visitor-erase-02'), 'the subscribe’s link')
    await relay.send(batchOf('visitor-erase-02', [search('while-linked')]))
    await deliveries(relay, 1)
    await quietRecord(relay)
    const answer = await erased(relay, { email: ` ${EMAIL.toUpperCase()} ` })
    expect(answer).toMatchObject({ visitors: 1, links: 1, jobs: { event: { ...zeros, sent: 1 }, subscribe: { ...zeros, sent: 1 } } })
    // The subscribe call and the event, both under the email.
    expect(answer.sandboxRequests).toBe(2)
    expect(recordText(await relay.recorded())).not.toContain(EMAIL)
    expect((await relay.send(batchOf('visitor-erase-02', [search('after-erase')]))).status).toBe(202)
    expect(await relay.app.relay.store.counts()).toMatchObject({ held: 1, queued: 0 })
    const all = await quietRecord(relay)
    expect(recordText(all)).not.toContain('after-erase')
    expect(recordText(all)).not.toContain(EMAIL)
  })
})

describe('POST /v1/server/erase', () => {
  it('answers every kind with zeros when nothing matches', async () => {
    const relay = await start({ SERVER_TOKEN }, { config: { autoStart: false } })
    expect(await erased(relay, { externalCustomerId: 'nobody-here' })).toEqual({
      visitors: 0,
      links: 0,
      jobs: { event: zeros, subscribe: zeros, tokens: zeros, order: zeros, 'order-event': zeros },
      tables: { telegram_chats: 0, telegram_codes: 0, visitor_carts: 0, order_contexts: 0 },
      sandboxRequests: 0,
    })
  })

  it.each<[string, string | null]>([
    ['no Authorization header', null],
    ['a wrong token', 'wrong-token-0123456789abcdef'],
  ])('answers 401 to %s before reading the body, and erases nothing', async (_name, token) => {
    const relay = await start({ SERVER_TOKEN }, { config: { autoStart: false } })
    await relay.send(batchOf('visitor-erase-03', [search('kept')]))
    const res = await erase(relay, { visitorId: 'visitor-erase-03' }, token)
    expect(res.status).toBe(401)
    expect(res.headers.get('www-authenticate')).toBe('Bearer')
    expect((await erase(relay, '{', token)).status).toBe(401)
    expect(await relay.app.relay.store.counts()).toMatchObject({ held: 1 })
  })

  it.each<[unknown, RegExp]>([
    [{}, /exactly one of visitorId, email, phone, externalCustomerId, contactId/],
    [{ email: EMAIL, phone: '+380501234567' }, /exactly one of/],
    [{ mail: EMAIL }, /erase takes no field "mail"/],
    [{ email: 'not-an-email' }, /email is not a valid email address/],
    [{ visitorId: 'x' }, /visitorId must be an id/],
    [{ contactId: 'abc' }, /contactId must be eSputnik’s contact id/],
  ])('refuses %j with 400 and the reason', async (body, reason) => {
    const relay = await start({ SERVER_TOKEN }, { config: { autoStart: false } })
    const res = await erase(relay, body)
    expect(res.status).toBe(400)
    expect(((await res.json()) as { error: string }).error).toMatch(reason)
  })

  it('does not exist when SERVER_TOKEN is unset', async () => {
    const relay = await start({}, { config: { autoStart: false } })
    expect((await erase(relay, { email: EMAIL }, 'anything-at-all-0123')).status).toBe(404)
  })
})
