import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { loadConfig } from '../../../src/relay/ops/config.js'
import type { BatchResponse } from '../../../src/wire/types.js'
import { upstreamBodyErrors } from '../../support/openapi.js'
import { startTestRelay, stoppedAfterEach, waitFor } from '../helpers.js'
import { bodyOf } from '../identity-helpers.js'
import { quietRecord } from '../quiet.js'

const start = stoppedAfterEach(startTestRelay)

const custom = (type: string, data: unknown, id: string = randomUUID()) => ({ id, type, ts: Date.now(), url: 'https://shop.example.com/quiz', data })
const send = async (relay: Awaited<ReturnType<typeof start>>, events: unknown[]) => {
  const res = await relay.send({ v: 1, visitor: 'visitor-custom-1', events })
  expect(res.status).toBe(202)
  return (await res.json()) as BatchResponse
}

describe('custom events from the browser', () => {
  it('takes a type CUSTOM_EVENT_TYPES lists and sends it once as Generate event, its params as text', async () => {
    const relay = await start({ env: { CUSTOM_EVENT_TYPES: 'quizCompleted, backInStockRequested' } })
    const event = custom('quizCompleted', { score: 7, passed: true, answers: ['green', 'loose leaf'], profile: { taste: 'bitter' }, skipped: null })
    expect(await send(relay, [event, event])).toEqual({ accepted: 1, rejected: [{ id: event.id, reason: 'id repeats an earlier event of this batch' }] })
    expect(await send(relay, [event])).toEqual({ accepted: 1, rejected: [] })
    const calls = (await quietRecord(relay)).filter((r) => r.path == '/api/v2/event')
    expect(calls.map((r) => bodyOf(r))).toEqual([
      {
        eventTypeKey: 'quizCompleted',
        keyValue: 'visitor-custom-1',
        params: [
          { name: 'score', value: '7' },
          { name: 'passed', value: 'true' },
          { name: 'answers', value: '["green","loose leaf"]' },
          { name: 'profile', value: '{"taste":"bitter"}' },
        ],
      },
    ])
    expect(upstreamBodyErrors('/api/v2/event', calls[0]!.body)).toEqual([])
  })

  it.each<[string, string, unknown, RegExp]>([
    ['a type CUSTOM_EVENT_TYPES does not list', 'spinTheWheel', {}, /^type must be one of the seven eSputnik web events or a custom event type listed in CUSTOM_EVENT_TYPES; spinTheWheel is not listed$/],
    ['a type with a character eSputnik forbids', 'quiz,done', {}, /a character eSputnik forbids in an eventTypeKey/],
    ['a type over 100 characters', 'q'.repeat(101), {}, /eventTypeKey of 1 to 100 characters/],
    ['one of eSputnik’s own types', 'subscribeUpdateFromApi-footer', {}, /one of eSputnik's own event types/],
    ['a param eSputnik maps to a contact', 'quizCompleted', { EmailAddress: 'someone@example.com' }, /param EmailAddress is not allowed/],
    ['a param that is no object', 'quizCompleted', 'score=7', /data must be an object of params/],
    ['more than 50 params', 'quizCompleted', Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`p${i}`, i])), /at most 50 params/],
    ['an event that would pass 20 KB', 'quizCompleted', { essay: 'x'.repeat(20_000) }, /event is too big: .* eSputnik takes at most 20480/],
  ])('refuses %s with the reason, and takes the rest of the batch', async (_what, type, data, reason) => {
    const relay = await start({ env: { CUSTOM_EVENT_TYPES: 'quizCompleted' } })
    const bad = custom(type, data)
    const good = custom('quizCompleted', { score: 1 })
    const answer = await send(relay, [bad, good])
    expect(answer.accepted).toBe(1)
    expect(answer.rejected).toEqual([{ id: bad.id, reason: expect.stringMatching(reason) }])
    await waitFor(async () => (await relay.delivered()).length == 1, 'the good event')
  })

  it('takes any valid type with CUSTOM_EVENT_TYPES=*, but never one of eSputnik’s own', async () => {
    const relay = await start({ env: { CUSTOM_EVENT_TYPES: '*' } })
    const answer = await send(relay, [custom('anythingAtAll', {}), custom('orderDelivered', {})])
    expect(answer.accepted).toBe(1)
    expect(answer.rejected[0]!.reason).toMatch(/one of eSputnik's own event types/)
  })

  it('refuses a CUSTOM_EVENT_TYPES entry eSputnik would refuse, at boot', () => {
    expect(() => loadConfig({ CUSTOM_EVENT_TYPES: 'quizCompleted,quiz?' })).toThrow(/CUSTOM_EVENT_TYPES: type "quiz\?" has "\?"/)
    expect(loadConfig({ CUSTOM_EVENT_TYPES: ' quizCompleted , backInStockRequested ' }).customEventTypes).toEqual(['quizCompleted', 'backInStockRequested'])
    expect(loadConfig({}).customEventTypes).toEqual([])
  })
})
