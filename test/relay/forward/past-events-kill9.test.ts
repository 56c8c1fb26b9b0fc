import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { MAX_PAST_EVENTS } from '../../../src/relay/esputnik/past-events.js'
import type { RecordedRequest } from '../../../src/relay/sandbox/recorder.js'
import { childRelaysKilledAfterEach } from '../child-relay.js'
import { batchOf, startTestRelay, stoppedAfterEach, waitFor, wireEvent } from '../helpers.js'

// kill -9 in the middle of a replay as past events: the relay under test is
// a child process (test/relay/child-relay.ts), SIGKILLed while a Past events
// call is in flight and started again on the same SQLite file. eSputnik is
// another relay's sandbox in this process, slowed down, so its record
// outlives the kill and a call is in flight when it comes.

const start = stoppedAfterEach(startTestRelay)
const childRelays = childRelaysKilledAfterEach()

type PastCall = { events: { params: { name: string; value: string }[] }[] }
const searchesOf = (r: RecordedRequest) =>
  r.status == 200 ? (r.body as PastCall).events.map((e) => e.params.find((p) => p.name == 'search')!.value) : []

describe('kill -9 in the middle of a replay as past events', () => {
  it('loses no event, sends again at most the call in flight, and keeps the history in order', async () => {
    const upstream = await start()
    await upstream.faults({ latencyMs: 400 })
    const relays = await childRelays({ upstream, env: { ANONYMOUS_EVENTS: 'hold', HELD_EVENTS_MAX_PER_VISITOR: '5000' } })
    const first = await relays.start()
    // Three chunks of past events (500, 500, 200), then two recent searches through Generate event.
    const old = Date.now() - 3 * 86_400_000
    const count = 2 * MAX_PAST_EVENTS + 200
    const names = Array.from({ length: count + 2 }, (_, i) => `kill/${String(i).padStart(4, '0')}`)
    const events = names.map((search, i) => wireEvent('searchRequest', { search }, { ts: i < count ? old + i * 1000 : Date.now() - 60_000 + i }))
    for (let i = 0; i < events.length; i += 50) {
      const res = await fetch(`${first.url}/v1/e`, { method: 'POST', body: JSON.stringify(batchOf('visitor-kill', events.slice(i, i + 50))) })
      expect(res.status).toBe(202)
    }
    const subscribe = { v: 1, id: randomUUID(), ts: Date.now(), visitor: 'visitor-kill', email: 'kill@example.com' }
    expect((await fetch(`${first.url}/v1/subscribe`, { method: 'POST', body: JSON.stringify(subscribe) })).status).toBe(202)
    // The first chunk reached eSputnik: the second is on its way or about to be.
    await waitFor(async () => (await upstream.recorded('/api/v2/past_events')).length >= 1, 'the first past-events call', 20_000)
    await first.kill9()

    const second = await relays.start()
    const done = await waitFor(async () => {
      const calls = await upstream.recorded('/api/v2/past_events')
      const live = await upstream.delivered()
      return new Set(calls.flatMap(searchesOf)).size == count && live.length >= 2 && { calls, live }
    }, 'every event upstream', 30_000)
    await second.kill9()

    const sent = done.calls.flatMap(searchesOf)
    expect(new Set(sent)).toEqual(new Set(names.slice(0, count)))
    // Sent twice: at most the events of one call, the one in flight at the kill.
    expect(sent.length - count).toBeLessThanOrEqual(MAX_PAST_EVENTS)
    // Each call in ts order, and each call's events after the earlier calls' (a repeat starts over where the kill was).
    for (const call of done.calls.map(searchesOf)) expect(call).toEqual([...call].sort())
    const firsts = done.calls.map(searchesOf).map((c) => c[0]!)
    expect(firsts).toEqual([...firsts].sort())
    // The recent ones went live, after every past event, once each.
    const liveSearches = done.live.map((r) => (r.body as PastCall['events'][number]).params.find((p) => p.name == 'search')!.value)
    expect(liveSearches).toEqual(names.slice(count))
    expect(Math.min(...done.live.map((r) => r.seq))).toBeGreaterThan(Math.max(...done.calls.map((r) => r.seq)))
  }, 90_000)
})
