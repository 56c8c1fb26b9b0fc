import { describe, expect, it } from 'vitest'
import { PATH_GENERATE_EVENT, eventV2 } from '../../../src/relay/esputnik/event-v2.js'
import { OPERATIONS, operationFor } from '../../../src/relay/esputnik/registry.js'
import { subscribeContact } from '../../../src/relay/esputnik/subscribe.js'
import type { EventJob, SubscribeJob } from '../../../src/relay/store/types.js'
import { wireEvent } from '../helpers.js'

const base = { seq: 1, visitor: 'visitor-0001', locators: null, replay: false, past: false, attempts: 0, receivedAt: 1, queuedAt: 1 }
const eventJob = (extra: Partial<EventJob> = {}): EventJob => ({
  ...base,
  id: 'event-0001',
  kind: 'event',
  event: wireEvent('searchRequest', { search: 'mug' }, { ts: Date.UTC(2024, 10, 23, 16, 39, 59) }),
  ...extra,
})
const subscribeJob: SubscribeJob = {
  ...base,
  id: 'subscribe-0001',
  kind: 'subscribe',
  subscribe: { id: 'subscribe-0001', visitor: 'visitor-0001', ts: 5000, email: 'mail@example.com', externalCustomerId: 'c-1' },
}
const context = { replayOccurredAt: true, replayMode: 'auto' as const, now: 0 }

describe('the operation registry', () => {
  it('gives event jobs to Generate event v2 and subscribe jobs to Subscribe contact', () => {
    expect(operationFor(eventJob(), context)?.name).toBe('event-v2')
    expect(operationFor(subscribeJob, context)?.name).toBe('subscribe')
  })

  it('names every operation once, each on a budget and with at least one item a call', () => {
    const names = OPERATIONS.map((o) => o.name)
    expect(new Set(names).size).toBe(names.length)
    for (const o of OPERATIONS) expect(o.maxBatch).toBeGreaterThanOrEqual(1)
    const budgets = OPERATIONS.map((o) => [o.name, o.budget])
    for (const pair of [['past-events', 'past'], ['event-v2', 'events'], ['subscribe', 'subscribe']]) expect(budgets).toContainEqual(pair)
    // Past events takes old history before Generate event v2, which takes every event job, can.
    expect(names.indexOf('past-events')).toBeLessThan(names.indexOf('event-v2'))
  })

  it('gives a replay job marked past to Past events, unless REPLAY_MODE=live, and any other event job to Generate event v2', () => {
    const past = eventJob({ replay: true, past: true, locators: { email: 'a@b.co' } })
    expect(operationFor(past, context)?.name).toBe('past-events')
    expect(operationFor(past, { ...context, replayMode: 'past' })?.name).toBe('past-events')
    expect(operationFor(past, { ...context, replayMode: 'live' })?.name).toBe('event-v2')
    expect(operationFor(eventJob({ replay: true, locators: { email: 'a@b.co' } }), context)?.name).toBe('event-v2')
  })
})

describe('Generate event v2', () => {
  it('sends an anonymous job with the visitor id as keyValue', () => {
    expect(eventV2.toBody([eventV2.toItem(eventJob(), context)])).toEqual({
      eventTypeKey: 'searchRequest',
      keyValue: 'visitor-0001',
      params: [{ name: 'search', value: 'mug' }],
    })
    expect(PATH_GENERATE_EVENT).toBe('/api/v2/event')
  })

  it('adds occurredAt to replayed history only while REPLAY_OCCURRED_AT is on', () => {
    const replay = eventJob({ replay: true, locators: { email: 'a@b.co' } })
    expect(eventV2.toItem(replay, context).params).toContainEqual({ name: 'occurredAt', value: '2024-11-23T16:39:59.000Z' })
    expect(eventV2.toItem(replay, { ...context, replayOccurredAt: false }).params.map((p) => p.name)).toEqual(['email', 'search'])
    expect(eventV2.toItem(eventJob({ locators: { email: 'a@b.co' } }), context).params.map((p) => p.name)).toEqual(['email', 'search'])
  })
})

describe('Subscribe contact', () => {
  it('links the visitor to the identifier the contact is matched by, with the contactId of a 200 answer, from the request’s ts', () => {
    expect(subscribeContact.results!({ status: 200, body: '{"id":100001}' }, [subscribeJob])).toEqual([
      { outcome: 'sent', link: { locators: { contactId: '100001', externalCustomerId: 'c-1' }, since: 5000 } },
    ])
  })

  it('links without a contactId after a 409, which carries none', () => {
    expect(subscribeContact.results!({ status: 409, body: 'Duplicated request' }, [subscribeJob])).toEqual([
      { outcome: 'sent', link: { locators: { externalCustomerId: 'c-1' }, since: 5000 } },
    ])
  })
})
