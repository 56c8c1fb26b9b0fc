import { afterEach, describe, expect, it } from 'vitest'
import type { RecordedRequest } from '../../../src/relay/sandbox/recorder.js'
import type { WireEvent } from '../../../src/wire/types.js'
import { batchOf, startTestRelay, waitFor, wireEvent, type TestRelay } from '../helpers.js'
import { paramOf, startIdentityRelay, subscribeBody, TS } from '../identity-helpers.js'

let relays: TestRelay[] = []
afterEach(async () => {
  await Promise.all(relays.map((r) => r.stop()))
  relays = []
})

/** `count` searches of a visitor, one second apart, sent in three batches out of ts order. */
async function browse(relay: TestRelay, visitor: string, count: number): Promise<WireEvent[]> {
  const events = Array.from({ length: count }, (_, i) =>
    wireEvent('searchRequest', { search: `${visitor}/${String(i).padStart(2, '0')}` }, { ts: TS + i * 1000 }),
  )
  const shuffled = [...events].sort((a, b) => ((a.ts / 1000) * 7) % count - ((b.ts / 1000) * 7) % count)
  for (let i = 0; i < 3; i++) {
    const res = await relay.send(batchOf(visitor, shuffled.filter((_, j) => j % 3 == i)))
    expect(res.status).toBe(202)
  }
  return events
}

const searchOf = (r: RecordedRequest) => String(paramOf(r, 'search'))
const ofVisitor = (list: RecordedRequest[], visitor: string) => list.map(searchOf).filter((s) => s.startsWith(`${visitor}/`))

/** Each search once, and each visitor's in the order its events happened. */
function expectExactlyOnceInOrder(delivered: RecordedRequest[], visitors: string[], count: number) {
  const seen = new Map<string, number>()
  for (const r of delivered) seen.set(searchOf(r), (seen.get(searchOf(r)) ?? 0) + 1)
  expect([...seen.values()].every((n) => n == 1)).toBe(true)
  for (const visitor of visitors) {
    expect(ofVisitor(delivered, visitor)).toEqual(Array.from({ length: count }, (_, i) => `${visitor}/${String(i).padStart(2, '0')}`))
  }
}

describe('replaying held history', () => {
  it('sends each event exactly once and in ts order when the relay stops mid-replay and restarts on the same database', async () => {
    // eSputnik is another relay's sandbox, slowed down, so it outlives the relay under test.
    const upstream = await startTestRelay()
    relays.push(upstream)
    await upstream.faults({ latencyMs: 40 })
    // Through Generate event, one call at a time (REPLAY_MODE=live): past events have their own test.
    const env = { ESPUTNIK_API_KEY: 'test-key', ESPUTNIK_BASE_URL: `${upstream.url}/sandbox`, ANONYMOUS_EVENTS: 'hold', REPLAY_MODE: 'live' }
    const visitors = ['visitor-crash-a', 'visitor-crash-b']
    const count = 12

    const first = await startTestRelay({ env })
    for (const visitor of visitors) await browse(first, visitor, count)
    for (const visitor of visitors) await first.post('/v1/subscribe', subscribeBody(visitor, { email: `${visitor}@example.com` }))
    await waitFor(async () => (await upstream.delivered()).length >= 6, 'the replay to be under way')
    await first.stop(true) // calls in flight finish and are recorded; the rest stays queued
    const before = (await upstream.delivered()).length
    expect(before).toBeGreaterThanOrEqual(6)
    expect(before).toBeLessThan(visitors.length * count)

    const second = await startTestRelay({ env, dir: first.dir })
    relays.push(second)
    await waitFor(async () => (await upstream.delivered()).length >= visitors.length * count, 'the rest of the replay', 10_000)
    await second.app.relay.forwarder.stop()
    const delivered = await upstream.delivered()
    expect(delivered).toHaveLength(visitors.length * count)
    expectExactlyOnceInOrder(delivered, visitors, count)
    expect((await upstream.recorded('/api/v1/contact/subscribe')).map((r) => r.status)).toEqual([200, 200])
    expect(await second.app.relay.store.counts()).toMatchObject({ queued: 0, held: 0, dead: 0 })
  })

  it('keeps each visitor’s replay in ts order with calls in parallel and retries in the middle', async () => {
    const relay = await startIdentityRelay({ UPSTREAM_CONCURRENCY: '16' })
    relays.push(relay)
    await relay.faults({ latencyMs: 5 })
    const visitors = ['visitor-order-a', 'visitor-order-b', 'visitor-order-c']
    const count = 8
    for (const visitor of visitors) await browse(relay, visitor, count)
    for (const visitor of visitors) await relay.post('/v1/subscribe', subscribeBody(visitor, { email: `${visitor}@example.com` }))
    await waitFor(async () => (await relay.delivered()).length >= 3, 'the replay to be under way')
    await relay.faults({ status: 500, count: 4, latencyMs: 5 })
    const delivered = await waitFor(async () => {
      const list = await relay.delivered()
      return list.length == visitors.length * count && list
    }, 'every replayed event')
    expectExactlyOnceInOrder(delivered, visitors, count)
    expect((await relay.recorded('/api/v2/event')).filter((r) => r.status == 500)).toHaveLength(4)
  })
})
