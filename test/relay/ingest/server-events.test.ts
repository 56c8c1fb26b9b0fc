import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import type { ServerEventsResponse } from '../../../src/wire/server-types.js'
import { upstreamBodyErrors } from '../../support/openapi.js'
import { batchOf, startTestRelay, stoppedAfterEach, waitFor, wireEvent, type TestRelay } from '../helpers.js'
import { bodyOf, paramOf, SERVER_TOKEN } from '../identity-helpers.js'
import { quietRecord } from '../quiet.js'
import { relayStoresDroppedAfterEach } from '../stores.js'

const STORES = relayStoresDroppedAfterEach()
const start = stoppedAfterEach(startTestRelay)

async function postEvents(relay: TestRelay, body: unknown, token = SERVER_TOKEN) {
  const res = await fetch(`${relay.url}/v1/server/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  })
  return { status: res.status, body: (await res.json()) as ServerEventsResponse & { error?: string } }
}

const refund = (extra: Record<string, unknown>, id: string = randomUUID()) => ({
  id,
  type: 'refundIssued',
  ts: Date.now() - 1000,
  data: { orderId: 'SO-17', amount: 45.5, lines: [{ productId: 'WS01', quantity: 1 }] },
  ...extra,
})

describe.each(STORES)('POST /v1/server/events on %s', (_name, storeEnv) => {
  const relayWith = async (env: Record<string, string> = {}) =>
    start({ env: { ...(await storeEnv()), SERVER_TOKEN, ANONYMOUS_EVENTS: 'hold', SUBSCRIBE_RATE_PER_VISITOR: '1000', ...env } })

  it('holds a backend event for an unknown visitor until that visitor’s subscribe, then sends it joined to the contact', async () => {
    const relay = await relayWith()
    const event = refund({ visitorId: 'visitor-backend-1' })
    const answer = await postEvents(relay, { events: [event] })
    expect(answer).toEqual({ status: 202, body: { accepted: 1, rejected: [], events: [{ id: event.id, accepted: true, held: true }] } })
    expect(await relay.app.relay.store.counts()).toMatchObject({ held: 1, queued: 0 })
    const subscribe = { v: 1, id: randomUUID(), ts: Date.now(), visitor: 'visitor-backend-1', email: 'ann@example.com' }
    expect((await relay.post('/v1/subscribe', subscribe)).status).toBe(202)
    const [sent] = await waitFor(() => relay.delivered(), 'the backend event upstream')
    expect(bodyOf(sent!)).toMatchObject({ eventTypeKey: 'refundIssued', keyValue: '100001' })
    expect(paramOf(sent!, 'email')).toBe('ann@example.com')
    expect(paramOf(sent!, 'amount')).toBe('45.5')
    expect(paramOf(sent!, 'lines')).toBe('[{"productId":"WS01","quantity":1}]')
    expect(upstreamBodyErrors('/api/v2/event', sent!.body)).toEqual([])
  })

  it('sends an event that names a contact straight to it, and a resend of a browser event’s id once', async () => {
    const relay = await relayWith({ ANONYMOUS_EVENTS: 'forward' })
    const browser = wireEvent('searchRequest', { search: 'mug' }, { ts: Date.now() })
    expect((await relay.send(batchOf('visitor-browser-1', [browser]))).status).toBe(202)
    const answer = await postEvents(relay, {
      events: [refund({ externalCustomerId: 'c-42' }), { ...browser, externalCustomerId: 'c-42' }],
    })
    expect(answer.body.events.map((e) => e.accepted && e.held)).toEqual([false, false])
    const all = await quietRecord(relay)
    const events = all.filter((r) => r.path == '/api/v2/event')
    expect(events.map((r) => [bodyOf(r).eventTypeKey, bodyOf(r).keyValue])).toEqual([
      ['searchRequest', 'visitor-browser-1'],
      ['refundIssued', 'c-42'],
    ])
  })
})

describe('POST /v1/server/events', () => {
  it('answers each event in order, refusing the bad ones with their reason and taking the rest', async () => {
    const relay = await start({ env: { SERVER_TOKEN, ANONYMOUS_EVENTS: 'forward' } })
    const big = { note: 'x'.repeat(21_000) }
    const list = [
      refund({ contactId: 123 }, 'good-event-001'),
      refund({ email: 'not-an-email' }, 'bad-email-0001'),
      { ...refund({ externalCustomerId: 'c-1' }, 'bad-type-00001'), type: 'refund?' },
      { ...refund({ externalCustomerId: 'c-1' }, 'reserved-00001'), type: 'subscribeFromApi-footer' },
      refund({}, 'no-target-0001'),
      refund({ visitorId: 'visitor-both-1', email: 'a@example.com' }, 'both-targets-1'),
      { ...refund({ externalCustomerId: 'c-1' }, 'too-big-000001'), data: big },
      { ...refund({ externalCustomerId: 'c-1' }, 'bad-param-0001'), data: { Email: 'someone@example.com' } },
      refund({ visitorId: 'visitor-good-2' }, 'good-event-002'),
    ]
    const { status, body } = await postEvents(relay, { events: list })
    expect(status).toBe(202)
    expect(body.accepted).toBe(2)
    expect(body.events.map((e) => [e.id, e.accepted ? 'accepted' : e.reason])).toEqual([
      ['good-event-001', 'accepted'],
      ['bad-email-0001', 'email is not a valid email address'],
      ['bad-type-00001', 'type "refund?" has "?", a character eSputnik forbids in an eventTypeKey'],
      ['reserved-00001', expect.stringMatching(/^type subscribeFromApi-footer is one of eSputnik's own event types/)],
      ['no-target-0001', 'an event needs a visitorId, or a contactId, externalCustomerId, email or phone'],
      ['both-targets-1', "give a visitorId or the contact's identifiers, not both"],
      ['too-big-000001', expect.stringMatching(/^refundIssued: event is too big: .* at most 20480$/)],
      ['bad-param-0001', expect.stringMatching(/^refundIssued: param Email is not allowed/)],
      ['good-event-002', 'accepted'],
    ])
    expect(body.rejected.map((r) => r.id)).toEqual(body.events.filter((e) => !e.accepted).map((e) => e.id))
    const delivered = await waitFor(async () => {
      const list = await relay.delivered()
      return list.length == 2 && list
    }, 'the two good events')
    expect(delivered.map((r) => bodyOf(r).keyValue).sort()).toEqual(['123', 'visitor-good-2'])
  })

  it('refuses a request without the token (401), and a malformed or oversized one as a whole (400)', async () => {
    const relay = await start({ env: { SERVER_TOKEN } })
    expect((await postEvents(relay, { events: [refund({ contactId: 1 })] }, 'wrong-token-0123456789abcdef')).status).toBe(401)
    expect((await postEvents(relay, { events: [] })).body.error).toMatch(/events must be a non-empty list/)
    const many = Array.from({ length: 501 }, () => refund({ contactId: 1 }))
    const tooMany = await postEvents(relay, { events: many })
    expect([tooMany.status, tooMany.body.error]).toEqual([400, 'events must hold at most 500 events'])
    expect(await relay.app.relay.store.counts()).toMatchObject({ queued: 0, held: 0 })
  })

  it('does not exist without SERVER_TOKEN', async () => {
    const relay = await start()
    expect((await postEvents(relay, { events: [refund({ contactId: 1 })] })).status).toBe(404)
  })
})
