import { describe, expect, it } from 'vitest'
import type { Locators } from '../../../src/relay/esputnik/locators.js'
import type { NewEvents, Store } from '../../../src/relay/store/types.js'
import { wireEvent } from '../helpers.js'
import { describeIdentityContract } from './contract-identity.js'
import { describeOrdersContract } from './contract-orders.js'
import { describeReplayContract } from './contract-replay.js'
import { describeTelegramContract } from './contract-telegram.js'
import { storePerTest, type StoreHarness } from './harness.js'

const T0 = 1_800_000_000_000
const LEASE = 30_000

/** A link from the start of time, at `at`, replaying whatever is held. */
const link = (visitor: string, locators: Locators, at: number) => ({ visitor, locators, since: 0, heldAfter: 0, at })

const pageView = (n: number) => wireEvent('pageViewed', {}, { url: `https://shop.example.com/${n}` })
const batch = (visitor: string, count: number, extra: Partial<NewEvents> = {}): NewEvents => ({
  visitor,
  events: Array.from({ length: count }, (_, i) => pageView(i)),
  receivedAt: T0,
  anonymous: 'forward',
  ...extra,
})

/**
 * What every Store must do, whatever it is built on. Run it with a factory:
 * `describeStoreContract('SQLite', async () => ({ open, remove }))`; the PostgreSQL store runs the same.
 */
export function describeStoreContract(name: string, open: () => Promise<StoreHarness>) {
  describe(`Store contract: ${name}`, () => {
    let store: Store
    const h = storePerTest(open, (opened) => (store = opened))

    it('stores a batch once: a resent id is counted as a duplicate and queued only once', async () => {
      const b = batch('visitor-aaaa', 3)
      expect(await store.insertEvents(b)).toEqual({ inserted: 3, duplicates: 0, held: 0, queued: 3, dropped: 0 })
      expect(await store.insertEvents({ ...b, receivedAt: T0 + 1000 })).toEqual({ inserted: 0, duplicates: 3, held: 0, queued: 0, dropped: 0 })
      expect((await store.counts()).queued).toBe(3)
    })

    it('holds events of an unlinked visitor under the hold policy, and queues them when linked, one at a time in order', async () => {
      const b = batch('visitor-held', 3, { anonymous: 'hold' })
      expect(await store.insertEvents(b)).toMatchObject({ held: 3, queued: 0 })
      expect(await store.claim({ limit: 10, now: T0 + 1, leaseMs: LEASE })).toEqual([])
      expect(await store.linkVisitor(link('visitor-held', { email: 'a@b.co' }, T0 + 5))).toEqual({ changed: true, released: 3 })
      const ids: string[] = []
      for (let i = 0; i < 3; i++) {
        const jobs = await store.claim({ limit: 10, now: T0 + 6 + i, leaseMs: LEASE })
        expect(jobs).toHaveLength(1)
        expect(jobs[0]).toMatchObject({ locators: { email: 'a@b.co' }, queuedAt: T0 + 5, replay: true })
        ids.push(jobs[0]!.id)
        await store.settle([{ id: jobs[0]!.id, outcome: 'sent', at: T0 + 6 + i }])
      }
      expect(ids).toEqual(b.events.map((e) => e.id))
    })

    it('queues later events of a linked visitor at once with its locators', async () => {
      await store.linkVisitor(link('visitor-link', { externalCustomerId: 'c-7' }, T0))
      expect(await store.getLink('visitor-link')).toEqual({ externalCustomerId: 'c-7' })
      expect(await store.insertEvents(batch('visitor-link', 1, { anonymous: 'hold' }))).toMatchObject({ queued: 1 })
      const [job] = await store.claim({ limit: 1, now: T0, leaseMs: LEASE })
      expect(job).toMatchObject({ locators: { externalCustomerId: 'c-7' }, replay: false })
    })

    it('queues anonymous events without locators under the forward policy', async () => {
      const b = batch('visitor-anon', 1)
      await store.insertEvents(b)
      const [job] = await store.claim({ limit: 1, now: T0, leaseMs: LEASE })
      expect(job).toMatchObject({ id: b.events[0]!.id, visitor: 'visitor-anon', locators: null, attempts: 0, kind: 'event', replay: false })
      expect(job?.kind == 'event' && job.event).toEqual(b.events[0])
    })

    it('hides a claimed job from other claims until its lease ends', async () => {
      await store.insertEvents(batch('visitor-lease', 2))
      expect(await store.claim({ limit: 1, now: T0, leaseMs: LEASE })).toHaveLength(1)
      expect(await store.claim({ limit: 5, now: T0 + 1, leaseMs: LEASE })).toHaveLength(1)
      expect(await store.claim({ limit: 5, now: T0 + 2, leaseMs: LEASE })).toHaveLength(0)
      expect(await store.claim({ limit: 5, now: T0 + LEASE + 1, leaseMs: LEASE })).toHaveLength(2)
    })

    it('acks a sent job: it is never claimed again and counts as sent', async () => {
      await store.insertEvents(batch('visitor-sent', 1))
      const [job] = await store.claim({ limit: 1, now: T0, leaseMs: LEASE })
      await store.settle([{ id: job!.id, outcome: 'sent', at: T0 + 10 }])
      expect(await store.claim({ limit: 1, now: T0 + LEASE * 2, leaseMs: LEASE })).toEqual([])
      expect(await store.counts()).toMatchObject({ queued: 0, sent: 1, oldestQueuedAt: null })
    })

    it('retries a failed job no earlier than its next attempt time, counting the attempt', async () => {
      await store.insertEvents(batch('visitor-retry', 1))
      const [job] = await store.claim({ limit: 1, now: T0, leaseMs: LEASE })
      await store.settle([{ id: job!.id, outcome: 'retry', nextAttemptAt: T0 + 5000, error: 'eSputnik answered 503', status: 503 }])
      expect(await store.claim({ limit: 1, now: T0 + 4999, leaseMs: LEASE })).toEqual([])
      const [again] = await store.claim({ limit: 1, now: T0 + 5000, leaseMs: LEASE })
      expect(again).toMatchObject({ id: job!.id, attempts: 1 })
    })

    it('sets a job aside until a time without counting an attempt, as for a paused operation', async () => {
      await store.insertEvents(batch('visitor-defer', 1))
      const [job] = await store.claim({ limit: 1, now: T0, leaseMs: LEASE })
      await store.settle([{ id: job!.id, outcome: 'retry', nextAttemptAt: T0 + 5000, error: 'not sent: event-v2 is paused', attempt: false }])
      expect(await store.claim({ limit: 1, now: T0 + 4999, leaseMs: LEASE })).toEqual([])
      const [again] = await store.claim({ limit: 1, now: T0 + 5000, leaseMs: LEASE })
      expect(again).toMatchObject({ id: job!.id, attempts: 0 })
    })

    it('makes every job waiting for a retry due now, and nothing else', async () => {
      await store.insertEvents(batch('visitor-retry-now', 4))
      await store.insertEvents(batch('visitor-retry-held', 1, { anonymous: 'hold' }))
      const [a, b, c] = await store.claim({ limit: 3, now: T0, leaseMs: LEASE })
      await store.settle([
        { id: a!.id, outcome: 'retry', nextAttemptAt: T0 + 60_000, error: 'eSputnik answered 503', status: 503 },
        { id: b!.id, outcome: 'retry', nextAttemptAt: T0 + 300_000, error: 'reset' },
      ])
      // c is in flight (leased); the fourth is new and due already; the held one stays held.
      expect(await store.retryNow(T0 + 10)).toBe(2)
      const due = await store.claim({ limit: 10, now: T0 + 10, leaseMs: LEASE })
      expect(due.find((j) => j.id == c!.id)).toBeUndefined()
      expect(due).toHaveLength(3) // a, b and the fourth, never-tried event
      expect(due.filter((j) => j.attempts == 1).map((j) => j.id).sort()).toEqual([a!.id, b!.id].sort())
      expect(await store.retryNow(T0 + 20)).toBe(0)
      expect((await store.counts()).held).toBe(1)
    })

    it('releases a job without counting an attempt', async () => {
      await store.insertEvents(batch('visitor-release', 1))
      const [job] = await store.claim({ limit: 1, now: T0, leaseMs: LEASE })
      await store.settle([{ id: job!.id, outcome: 'release' }])
      expect(await store.claim({ limit: 1, now: T0 + 1, leaseMs: LEASE })).toMatchObject([{ id: job!.id, attempts: 0 }])
    })

    it('keeps dead letters with status and reason, lists them newest first, and replays them', async () => {
      await store.insertEvents(batch('visitor-dead', 2))
      const jobs = await store.claim({ limit: 2, now: T0, leaseMs: LEASE })
      await store.settle([
        { id: jobs[0]!.id, outcome: 'dead', at: T0 + 1, reason: 'eSputnik answered 400: bad', status: 400 },
        { id: jobs[1]!.id, outcome: 'dead', at: T0 + 2, reason: 'body is too big' },
      ])
      const dead = await store.listDeadLetters()
      expect(dead.map((d) => [d.id, d.status, d.reason, d.type])).toEqual([
        [jobs[1]!.id, null, 'body is too big', 'pageViewed'],
        [jobs[0]!.id, 400, 'eSputnik answered 400: bad', 'pageViewed'],
      ])
      expect((await store.counts()).dead).toBe(2)
      expect(await store.replayDeadLetters([jobs[0]!.id], T0 + 10)).toBe(1)
      expect(await store.claim({ limit: 5, now: T0 + 10, leaseMs: LEASE })).toMatchObject([{ id: jobs[0]!.id, attempts: 0 }])
      expect(await store.replayDeadLetters('all', T0 + 20)).toBe(1)
      expect((await store.counts()).dead).toBe(0)
    })

    it('purges sent events after the dedup window and expired held events, chunk by chunk, and nothing else', async () => {
      const old = batch('visitor-old', 5)
      await store.insertEvents(old)
      await store.insertEvents(batch('visitor-new', 2, { receivedAt: T0 + 100_000 }))
      await store.insertEvents(batch('visitor-hold', 3, { anonymous: 'hold' }))
      const jobs = await store.claim({ limit: 10, now: T0 + 100_000, leaseMs: LEASE })
      await store.settle(jobs.map((j) => ({ id: j.id, outcome: 'sent' as const, at: T0 + 100_001 })))
      const cut = { sentBefore: T0 + 50_000, heldBefore: T0 + 1, limit: 2 }
      expect(await store.purge(cut)).toMatchObject({ sent: 2, held: 2 })
      expect(await store.purge(cut)).toMatchObject({ sent: 2, held: 1 })
      expect(await store.purge(cut)).toMatchObject({ sent: 1, held: 0 })
      expect(await store.purge(cut)).toMatchObject({ sent: 0, held: 0 })
      expect(await store.counts()).toMatchObject({ sent: 2, held: 0 })
      // Past the window an id is new again.
      expect(await store.insertEvents({ ...old, receivedAt: T0 + 200_000 })).toMatchObject({ inserted: 5 })
    })

    it('tells the age of the oldest queued event', async () => {
      await store.insertEvents(batch('visitor-age', 1, { receivedAt: T0 - 60_000 }))
      await store.insertEvents(batch('visitor-age2', 1))
      expect((await store.counts()).oldestQueuedAt).toBe(T0 - 60_000)
    })

    it('keeps queued events, links and dead letters across a close and reopen', async () => {
      const b = batch('visitor-durable', 2)
      await store.insertEvents(b)
      await store.linkVisitor(link('visitor-linked', { email: 'a@b.co' }, T0))
      const reopened = await h.reopen()
      expect(await reopened.getLink('visitor-linked')).toEqual({ email: 'a@b.co' })
      const jobs = await reopened.claim({ limit: 5, now: T0, leaseMs: LEASE })
      expect(jobs.map((j) => j.id)).toEqual(b.events.map((e) => e.id))
    })

    it('reports that it can write', async () => {
      await expect(store.checkWritable(T0)).resolves.toBeUndefined()
    })
  })

  describeIdentityContract(name, open)
  describeReplayContract(name, open)
  describeTelegramContract(name, open)
  describeOrdersContract(name, open)
}
