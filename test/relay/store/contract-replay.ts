import { describe, expect, it } from 'vitest'
import { MAX_PAST_EVENTS } from '../../../src/relay/esputnik/past-events.js'
import type { Locators } from '../../../src/relay/esputnik/locators.js'
import type { Job, NewEvents, Store } from '../../../src/relay/store/types.js'
import { wireEvent } from '../helpers.js'
import { storePerTest, type StoreHarness } from './harness.js'

const T0 = 1_800_000_000_000
const LEASE = 30_000
const EMAIL = { email: 'buyer@example.com' }
/** Events before this go as past events. */
const CUT = T0 - 10_000

const search = (text: string, ts: number) => wireEvent('searchRequest', { search: text }, { ts })
const held = (visitor: string, events: NewEvents['events']): NewEvents => ({ visitor, events, receivedAt: T0, anonymous: 'hold' })
const link = (visitor: string, locators: Locators, pastBefore?: number) => ({
  visitor,
  locators,
  since: T0,
  at: T0 + 10,
  heldAfter: 0,
  ...(pastBefore === undefined ? {} : { pastBefore }),
})
const searchOf = (job: Job) => (job.kind == 'event' ? (job.event.data as { search: string }).search : job.id)
const claim = (store: Store, now = T0 + 100, limit = 1000) => store.claim({ limit, now, leaseMs: LEASE })
const sent = (jobs: Job[], at = T0 + 101) => jobs.map((j) => ({ id: j.id, outcome: 'sent' as const, at }))

/** Claims and acks until nothing is claimable; returns each claim's searches. */
async function steps(store: Store, now = T0 + 100): Promise<string[][]> {
  const out: string[][] = []
  for (let jobs; (jobs = await claim(store, now)).length; ) {
    out.push(jobs.map(searchOf))
    await store.settle(sent(jobs, now))
  }
  return out
}

/** Replay by age: past jobs first, many at once, then the live ones one at a time. */
export function describeReplayContract(name: string, open: () => Promise<StoreHarness>) {
  describe(`Store contract, replay by age: ${name}`, () => {
    let store: Store
    const h = storePerTest(open, (opened) => (store = opened))

    it('makes the history before the cut due at once in ts order, then the rest one at a time in ts order', async () => {
      // Stored out of ts order: the order comes from ts, not from arrival.
      await store.insertEvents(held('visitor-age', [search('live-2', T0 - 10), search('old-3', CUT - 1), search('old-1', CUT - 3000)]))
      await store.insertEvents(held('visitor-age', [search('live-1', T0 - 5000), search('old-2', CUT - 2000)]))
      expect(await store.linkVisitor(link('visitor-age', EMAIL, CUT))).toMatchObject({ released: 5 })
      const [first, ...rest] = await steps(store)
      expect(first).toEqual(['old-1', 'old-2', 'old-3'])
      expect(rest).toEqual([['live-1'], ['live-2']])
    })

    it('marks the jobs past, with their locators, and none without a cut', async () => {
      await store.insertEvents(held('visitor-marked', [search('old', CUT - 1), search('new', CUT + 1)]))
      await store.insertEvents(held('visitor-live', [search('a', CUT - 2), search('b', CUT - 1)]))
      await store.linkVisitor(link('visitor-marked', EMAIL, CUT))
      await store.linkVisitor(link('visitor-live', { phone: '380501234567' }))
      const jobs = await claim(store)
      // Both fell due at the links' moment, so they come in ts order.
      expect(jobs.map((j) => [searchOf(j), j.replay, j.past, j.locators])).toEqual([
        ['a', true, false, { phone: '380501234567' }],
        ['old', true, true, EMAIL],
      ])
    })

    it('holds the live part back while a past event waits for its retry', async () => {
      await store.insertEvents(held('visitor-retry', [search('old-1', CUT - 2), search('old-2', CUT - 1), search('live', T0 - 1)]))
      await store.linkVisitor(link('visitor-retry', EMAIL, CUT))
      const [a, b] = await claim(store)
      await store.settle([
        { id: a!.id, outcome: 'retry', nextAttemptAt: T0 + 500, error: 'eSputnik answered SERVER_ERROR for this past event' },
        ...sent([b!]),
      ])
      expect(await claim(store, T0 + 200)).toEqual([])
      const again = await claim(store, T0 + 500)
      expect(again.map((j) => [searchOf(j), j.attempts])).toEqual([['old-1', 1]])
      await store.settle(sent(again, T0 + 501))
      expect(await steps(store, T0 + 600)).toEqual([['live']])
    })

    it(`makes at most ${MAX_PAST_EVENTS} past events due at once, the earliest first`, async () => {
      const names = Array.from({ length: MAX_PAST_EVENTS + 2 }, (_, i) => `old-${String(i).padStart(3, '0')}`)
      // Stored newest first.
      await store.insertEvents(held('visitor-many', names.map((text, i) => search(text, CUT - 10_000 + i)).reverse()))
      await store.linkVisitor(link('visitor-many', EMAIL, CUT))
      const chunks = await steps(store)
      expect(chunks.map((c) => c.length)).toEqual([MAX_PAST_EVENTS, 2])
      expect(chunks.flat()).toEqual(names)
    })

    it('replays a late anonymous event older than the cut as a past job', async () => {
      await store.linkVisitor(link('visitor-late', EMAIL, CUT))
      await store.insertEvents({ ...held('visitor-late', [search('late-old', CUT - 1), search('late-new', T0 - 1)]), pastBefore: CUT })
      const jobs = await claim(store)
      expect(jobs.map((j) => [searchOf(j), j.past])).toEqual([['late-old', true]])
    })

    it('keeps a past chunk half settled across a close and reopen, the live part behind it', async () => {
      await store.insertEvents(held('visitor-crash', [search('old-1', CUT - 3), search('old-2', CUT - 2), search('live', T0 - 1)]))
      await store.linkVisitor(link('visitor-crash', EMAIL, CUT))
      const [a] = await claim(store)
      await store.settle(sent([a!]))
      store = await h.reopen()
      // old-2 is still leased by the call that was in flight; when the lease is over it goes again, then the live one.
      expect(await claim(store, T0 + 200)).toEqual([])
      expect(await steps(store, T0 + 100 + LEASE)).toEqual([['old-2'], ['live']])
    })

    it('queues events for a contact the backend names at once, never held, and stores a resent id once', async () => {
      const event = search('backend', T0 - 1)
      const contact = { externalCustomerId: 'c-42' }
      expect(await store.insertEvents({ ...held('', [event]), contact })).toMatchObject({ queued: 1, held: 0 })
      expect(await store.insertEvents(held('visitor-browser', [event]))).toMatchObject({ duplicates: 1, inserted: 0 })
      const jobs = await claim(store)
      expect(jobs.map((j) => [searchOf(j), j.locators, j.replay])).toEqual([['backend', contact, false]])
    })
  })
}
