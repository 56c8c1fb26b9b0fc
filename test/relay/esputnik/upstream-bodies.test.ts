import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { bodySchemaOf, upstreamBodyErrors } from '../../support/openapi.js'
import { startTestRelay, stoppedAfterEach, waitFor } from '../helpers.js'
import { quietRecord } from '../quiet.js'
import { WEB_EVENT_EXAMPLES } from './event-v2-examples.js'

const start = stoppedAfterEach(startTestRelay)
const DAY = 86_400_000

/** The seven web events and a custom one, as the SDK posts them. */
const events = (ts: number) => [
  ...WEB_EVENT_EXAMPLES.map((e) => ({ id: randomUUID(), type: e.type, ts, ...(e.url ? { url: e.url } : {}), data: e.data })),
  { id: randomUUID(), type: 'quizCompleted', ts, url: 'https://shop.example.com/quiz', data: { score: 7, passed: true, answers: ['a', 'b'] } },
]

describe('every body the relay sends upstream', () => {
  it('validates against eSputnik’s definition: Generate event for the seven and a custom event, Past events, Subscribe contact', async () => {
    const relay = await start({ env: { ANONYMOUS_EVENTS: 'hold', CUSTOM_EVENT_TYPES: 'quizCompleted' } })
    const visitor = 'visitor-bodies-1'
    // History from three days ago (past events), and from a minute ago (Generate event, replayed).
    for (const ts of [Date.now() - 3 * DAY, Date.now() - 60_000]) {
      const answer = await relay.send({ v: 1, visitor, currencyCode: 'USD', events: events(ts) })
      expect(await answer.json()).toEqual({ accepted: 8, rejected: [] })
    }
    const subscribe = { v: 1, id: randomUUID(), ts: Date.now(), visitor, email: 'bodies@example.com', firstName: 'Ann', groups: ['Newsletter'], formType: 'footer' }
    expect((await relay.post('/v1/subscribe', subscribe)).status).toBe(202)
    // And now live, after the link.
    await waitFor(async () => (await relay.app.relay.store.getLink(visitor)) !== undefined, 'the link')
    await relay.send({ v: 1, visitor, events: events(Date.now()) })

    const all = await quietRecord(relay)
    const byPath = (path: string) => all.filter((r) => r.path == path)
    expect(byPath('/api/v1/contact/subscribe')).toHaveLength(1)
    expect(byPath('/api/v2/past_events').flatMap((r) => (r.body as { events: unknown[] }).events)).toHaveLength(8)
    const keys = byPath('/api/v2/event').map((r) => (r.body as { eventTypeKey: string }).eventTypeKey)
    expect(keys).toHaveLength(16)
    expect(new Set(keys)).toEqual(new Set([...WEB_EVENT_EXAMPLES.map((e) => e.type), 'quizCompleted']))
    for (const r of all) {
      expect(bodySchemaOf(r.path), r.path).toBeDefined()
      expect([r.path, r.status, upstreamBodyErrors(r.path, r.body)]).toEqual([r.path, 200, []])
    }
  })
})
