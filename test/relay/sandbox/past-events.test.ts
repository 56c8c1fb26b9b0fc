import { describe, expect, it } from 'vitest'
import { renderPage } from '../../../src/relay/sandbox/page.js'
import { answerPastEvents, checkPastEvents, occurredStatus } from '../../../src/relay/sandbox/past-events.js'
import type { RecordedRequest } from '../../../src/relay/sandbox/recorder.js'

const NOW = Date.UTC(2026, 11, 1, 12, 0)
const event = (extra: Record<string, unknown> = {}) => ({
  eventTypeKey: 'productViewed',
  keyValue: 'ann@example.com',
  occurred: '2026-11-28T14:30',
  params: [{ name: 'product', value: '{"productId":"WS01","price":45.5}' }],
  ...extra,
})

describe('the sandbox’s Past events', () => {
  it.each<[string, unknown, RegExp]>([
    ['a body without a list', { event: [] }, /must be \{"events": \[\.\.\.\]\}/],
    ['501 events', { events: Array.from({ length: 501 }, () => event()) }, /1 to 500 events/],
    ['an event without keyValue', { events: [event(), event({ keyValue: undefined })] }, /events\[1\]\.keyValue is required/],
    ['a forbidden character in a key', { events: [event({ eventTypeKey: 'view<ed>' })] }, /forbidden character/],
    ['a number as a param value', { events: [event({ params: [{ name: 'isFound', value: 1 }] })] }, /value must be a string or an object/],
    ['a param twice', { events: [event({ params: [{ name: 'a', value: '1' }, { name: 'a', value: '2' }] })] }, /a repeats/],
  ])('refuses %s as a whole (400)', (_what, body, reason) => {
    expect(checkPastEvents(body)).toMatch(reason)
  })

  it.each<[unknown, string | undefined]>([
    ['2026-11-28T14:30', undefined],
    ['2026-11-28T14:30:15.250', undefined],
    [undefined, 'OCCURRED_DATE_IS_REQUIRED'],
    ['28.11.2026 14:30', 'INCORRECT_OCCURRED_DATE_FORMAT'],
    ['2026-13-45T99:99', 'INCORRECT_OCCURRED_DATE_FORMAT'],
    ['2026-12-01T12:01', undefined],
    ['2026-12-01T12:05', 'OCCURRED_TIME_IN_FUTURE'],
  ])('answers occurred %j with %s', (occurred, status) => {
    expect(occurredStatus(occurred, NOW)).toBe(status)
  })

  it('answers each event in order, a status a test asked for in its place', () => {
    const body = { events: [event(), event({ keyValue: 'bad-one' }), event({ occurred: 'yesterday' })] }
    const answer = answerPastEvents(body, NOW, (text) => (text.includes('bad-one') ? 'OCCURRED_TIME_TOO_DEPTH' : undefined))
    expect(answer).toEqual({
      results: [{ status: 'ACCEPTED' }, { status: 'OCCURRED_TIME_TOO_DEPTH' }, { status: 'INCORRECT_OCCURRED_DATE_FORMAT' }],
      successCount: 1,
      errorCount: 2,
    })
  })

  it('shows a past-events call on the page: each event when it happened, its type, key, status and params, escaped', () => {
    const body = { events: [event({ keyValue: '<b>ann</b>' }), event({ occurred: '2026-11-28T15:00' })] }
    const call: RecordedRequest = {
      seq: 1, at: NOW, method: 'POST', path: '/api/v2/past_events', status: 200, authorized: true, body,
      reply: { results: [{ status: 'ACCEPTED' }, { status: 'OCCURRED_TIME_TOO_DEPTH' }], successCount: 1, errorCount: 1 },
    }
    const page = renderPage([call])
    expect(page).toContain('Past events</span><span class="chip">2 events, no workflows')
    expect(page).toContain('<th>2026-11-28T14:30</th><td><b>productViewed · keyValue &lt;b&gt;ann&lt;/b&gt; · ACCEPTED</b>')
    expect(page).toContain('<th>2026-11-28T15:00</th><td><b>productViewed · keyValue ann@example.com · OCCURRED_TIME_TOO_DEPTH</b>')
    expect(page).toContain('<b>1</b><span>past events accepted</span>')
    expect(page).not.toContain('<b>ann</b>')
  })
})
