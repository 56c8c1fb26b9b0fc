import { describe, expect, it } from 'vitest'
import {
  formatOccurred,
  MAX_PAST_BODY_BYTES,
  MAX_PAST_EVENTS,
  pastBefore,
  pastEvents,
  readPastResults,
} from '../../../src/relay/esputnik/past-events.js'
import { planCalls } from '../../../src/relay/forward/plan.js'
import type { EventJob } from '../../../src/relay/store/types.js'
import { upstreamBodyErrors } from '../../support/openapi.js'
import { wireEvent } from '../helpers.js'

const TS = Date.UTC(2026, 10, 28, 14, 30, 45)
const context = { replayOccurredAt: true, replayMode: 'auto' as const, now: TS + 3 * 86_400_000 }
const job = (n: number, extra: Partial<EventJob> = {}): EventJob => ({
  seq: n,
  id: `event-${String(n).padStart(4, '0')}`,
  visitor: 'visitor-past-1',
  locators: { contactId: '100001', email: 'ann@example.com' },
  replay: true,
  past: true,
  attempts: 0,
  receivedAt: TS + 60_000,
  queuedAt: TS + 120_000,
  kind: 'event',
  event: wireEvent('searchRequest', { search: `mug ${n}`, isFound: 1 }, { ts: TS + n }),
  ...extra,
})

describe('Past events', () => {
  it('writes occurred as the definition shows it, in UTC, never after the relay received the event', () => {
    expect(formatOccurred(TS, TS + 1000)).toBe('2026-11-28T14:30')
    // A browser clock two hours ahead: the event cannot have happened after it arrived.
    expect(formatOccurred(TS + 7_200_000, TS)).toBe('2026-11-28T14:30')
  })

  it('takes old history before the cut of each mode: older than the window (auto), all (past), none (live)', () => {
    const at = TS
    expect(pastBefore({ replayMode: 'auto', replayLiveMs: 30 * 60_000 }, at)).toBe(at - 30 * 60_000)
    expect(pastBefore({ replayMode: 'past', replayLiveMs: 30 * 60_000 }, at)).toBeGreaterThan(at * 1000)
    expect(pastBefore({ replayMode: 'live', replayLiveMs: 30 * 60_000 }, at)).toBe(0)
  })

  it('builds a body eSputnik’s definition accepts: keyValue, locator params, params as text, occurredAt and occurred', () => {
    const body = pastEvents.toBody([pastEvents.toItem(job(1), context)])
    expect(body).toEqual({
      events: [
        {
          eventTypeKey: 'searchRequest',
          keyValue: '100001',
          occurred: '2026-11-28T14:30',
          params: [
            { name: 'contactId', value: '100001' },
            { name: 'email', value: 'ann@example.com' },
            { name: 'search', value: 'mug 1' },
            { name: 'isFound', value: '1' },
            { name: 'occurredAt', value: '2026-11-28T14:30:45.001Z' },
          ],
        },
      ],
    })
    expect(upstreamBodyErrors('/api/v2/past_events', body)).toEqual([])
  })

  it(`carries up to ${MAX_PAST_EVENTS} events a call, and no more than ${MAX_PAST_BODY_BYTES} bytes`, () => {
    const small = Array.from({ length: MAX_PAST_EVENTS + 1 }, (_, i) => job(i))
    expect(planCalls(small, [pastEvents], context).calls.map((c) => c.jobs.length)).toEqual([MAX_PAST_EVENTS, 1])
    const products = Array.from({ length: 30 }, (_, i) => ({ productId: `sku-${i}`, quantity: 1, price: 9.5, name: 'n'.repeat(500) }))
    const big = Array.from({ length: 120 }, (_, i) => job(i, { event: wireEvent('cartUpdated', { products, recycleStateId: 'cart-1' }, { ts: TS + i }) }))
    const calls = planCalls(big, [pastEvents], context).calls
    expect(calls.length).toBeGreaterThan(1)
    for (const call of calls) expect(Buffer.byteLength(JSON.stringify(pastEvents.toBody(call.items as never)))).toBeLessThanOrEqual(MAX_PAST_BODY_BYTES)
    expect(calls.flatMap((c) => c.jobs)).toEqual(big)
  })

  it('reads the results by position: refused statuses are dead letters with the status, SERVER_ERROR is retried, segmentation pauses', () => {
    const reply = {
      status: 200,
      body: JSON.stringify({
        results: [{ status: 'ACCEPTED' }, { status: 'OCCURRED_TIME_TOO_DEPTH' }, { status: 'SERVER_ERROR' }, { status: 'EVENT_SEGMENTATION_DISABLED' }, { status: 'SOMETHING_NEW' }],
        successCount: 1,
        errorCount: 4,
      }),
    }
    expect(readPastResults(reply, 6)).toEqual([
      { outcome: 'sent' },
      { outcome: 'dead', reason: 'eSputnik refused the past event: OCCURRED_TIME_TOO_DEPTH' },
      { outcome: 'retry', reason: 'eSputnik answered SERVER_ERROR for this past event' },
      { outcome: 'pause', reason: expect.stringMatching(/^eSputnik answered EVENT_SEGMENTATION_DISABLED: .*REPLAY_MODE=live/) },
      { outcome: 'dead', reason: 'eSputnik refused the past event: SOMETHING_NEW' },
      { outcome: 'retry', reason: 'eSputnik gave no status for this past event' },
    ])
  })

  it.each([
    ['an empty body', ''],
    ['a body without results', '{"successCount":3,"errorCount":0}'],
    ['results cut short with no error counted', '{"results":[{"status":"ACCEPTED"}],"successCount":3,"errorCount":0}'],
  ])('counts %s as every event accepted', (_what, body) => {
    expect(readPastResults({ status: 200, body }, 3)).toEqual([{ outcome: 'sent' }, { outcome: 'sent' }, { outcome: 'sent' }])
  })
})
