import { describe, expect, it } from 'vitest'
import type { Locators } from '../../../src/relay/esputnik/locators.js'
import type { Job, NewEvents, Store, SubscribePayload } from '../../../src/relay/store/types.js'
import type { EventType } from '../../../src/wire/types.js'
import { wireEvent } from '../helpers.js'
import { drain as drainAll, LEASE, storePerTest, T0, type StoreHarness } from './harness.js'

const EMAIL = { email: 'buyer@example.com' }

const search = (text: string, ts: number) => wireEvent('searchRequest' as EventType, { search: text }, { ts })
const held = (visitor: string, events: NewEvents['events'], extra: Partial<NewEvents> = {}): NewEvents => ({
  visitor,
  events,
  receivedAt: T0,
  anonymous: 'hold',
  ...extra,
})
const link = (visitor: string, locators: Locators, since: number, extra: { at?: number; heldAfter?: number } = {}) => ({
  visitor,
  locators,
  since,
  at: extra.at ?? T0 + 10,
  heldAfter: extra.heldAfter ?? 0,
})
const subscribe = (visitor: string, id = `subscribe-${visitor}`): SubscribePayload => ({ id, visitor, ts: T0 + 5, email: EMAIL.email, groups: ['Subscribers'] })
const searchOf = (job: Job | undefined) => (job?.kind == 'event' ? (job.event.data as { search: string }).search : undefined)

/** Everything claimable, acked as sent; at T0 + 100 unless a test says when. */
const drain = (store: Store, now = T0 + 100) => drainAll(store, now)

/** The identity half of the Store contract: subscribe jobs, links, replay order. */
export function describeIdentityContract(name: string, open: () => Promise<StoreHarness>) {
  describe(`Store contract, identity: ${name}`, () => {
    let store: Store
    const h = storePerTest(open, (opened) => (store = opened))

    it('queues a subscribe once per id, and links its visitor in the commit that acks it', async () => {
      await store.insertEvents(held('visitor-sub', [search('a', T0 - 2), search('b', T0 - 1)]))
      expect(await store.insertSubscribe({ request: subscribe('visitor-sub'), receivedAt: T0 })).toEqual({ inserted: true })
      expect(await store.insertSubscribe({ request: subscribe('visitor-sub'), receivedAt: T0 + 1 })).toEqual({ inserted: false })
      const [job, ...rest] = await store.claim({ limit: 10, now: T0, leaseMs: LEASE })
      expect(rest).toEqual([])
      expect(job).toMatchObject({ kind: 'subscribe', visitor: 'visitor-sub', subscribe: subscribe('visitor-sub'), locators: null })
      const linking = { locators: { contactId: '7', ...EMAIL }, since: T0 + 5, heldAfter: 0 }
      expect(await store.settle([{ id: job!.id, outcome: 'sent', at: T0 + 6, link: linking }])).toEqual({ linked: 1, released: 2 })
      expect(await store.getLink('visitor-sub')).toEqual({ contactId: '7', ...EMAIL })
      expect((await drain(store)).map(searchOf)).toEqual(['a', 'b'])
    })

    it('lists a dead subscribe with its type and replays it', async () => {
      await store.insertSubscribe({ request: subscribe('visitor-dead-sub'), receivedAt: T0 })
      const [job] = await store.claim({ limit: 1, now: T0, leaseMs: LEASE })
      await store.settle([{ id: job!.id, outcome: 'dead', at: T0 + 1, reason: 'eSputnik answered 400: Invalid email', status: 400 }])
      expect(await store.listDeadLetters()).toMatchObject([{ id: job!.id, kind: 'subscribe', type: 'subscribe', status: 400 }])
      expect(await store.getLink('visitor-dead-sub')).toBeUndefined()
      expect(await store.replayDeadLetters('all', T0 + 2)).toBe(1)
      expect(await store.claim({ limit: 1, now: T0 + 2, leaseMs: LEASE })).toMatchObject([{ kind: 'subscribe', attempts: 0 }])
    })

    it('replays held history in ts order, one job per visitor at a time, a retry holding back the rest', async () => {
      await store.insertEvents(held('visitor-order', [search('third', T0 - 1), search('first', T0 - 3)]))
      await store.insertEvents(held('visitor-order', [search('second', T0 - 2)]))
      await store.insertEvents(held('visitor-other', [search('x1', T0 - 9), search('x2', T0 - 8)]))
      await store.linkVisitor(link('visitor-order', EMAIL, T0))
      await store.linkVisitor(link('visitor-other', { phone: '380501234567' }, T0))
      const heads = await store.claim({ limit: 10, now: T0 + 10, leaseMs: LEASE })
      expect(heads.map(searchOf).sort()).toEqual(['first', 'x1'])
      const first = heads.find((j) => searchOf(j) == 'first')!
      // While `first` is leased, and then while it waits for its retry, `second` is not claimable.
      expect(await store.claim({ limit: 10, now: T0 + 11, leaseMs: LEASE })).toEqual([])
      await store.settle([
        { id: first.id, outcome: 'retry', nextAttemptAt: T0 + 50, error: 'eSputnik answered 503', status: 503 },
        { id: heads.find((j) => searchOf(j) == 'x1')!.id, outcome: 'sent', at: T0 + 12 },
      ])
      expect((await store.claim({ limit: 10, now: T0 + 20, leaseMs: LEASE })).map(searchOf)).toEqual(['x2'])
      const [again] = await store.claim({ limit: 10, now: T0 + 50, leaseMs: LEASE })
      expect(again).toMatchObject({ id: first.id, attempts: 1 })
      await store.settle([{ id: first.id, outcome: 'sent', at: T0 + 51 }])
      expect((await drain(store)).map(searchOf)).toEqual(['second', 'third'])
    })

    it('links once: a repeated link changes nothing and replays nothing again', async () => {
      await store.insertEvents(held('visitor-again', [search('a', T0 - 1)]))
      expect(await store.linkVisitor(link('visitor-again', EMAIL, T0))).toEqual({ changed: true, released: 1 })
      expect(await store.linkVisitor(link('visitor-again', EMAIL, T0 + 100))).toEqual({ changed: false, released: 0 })
      // A 409 after a 200 carries no contactId; the link with one stays.
      await store.linkVisitor(link('visitor-again', { contactId: '9', ...EMAIL }, T0 + 200))
      expect(await store.linkVisitor(link('visitor-again', EMAIL, T0 + 300))).toEqual({ changed: false, released: 0 })
      expect((await store.listLinks('visitor-again')).map((l) => [l.since, l.locators])).toEqual([
        [T0, EMAIL],
        [T0 + 200, { contactId: '9', ...EMAIL }],
      ])
      expect(await drain(store)).toHaveLength(1)
    })

    it('links several visitors to one contact and replays each one’s history once', async () => {
      await store.insertEvents(held('device-phone', [search('p1', T0 - 2), search('p2', T0 - 1)]))
      await store.insertEvents(held('device-laptop', [search('l1', T0 - 3)]))
      expect(await store.linkVisitor(link('device-phone', EMAIL, T0))).toMatchObject({ released: 2 })
      expect(await store.linkVisitor(link('device-laptop', EMAIL, T0))).toMatchObject({ released: 1 })
      expect(await store.linkVisitor(link('device-phone', EMAIL, T0 + 1))).toMatchObject({ released: 0 })
      const sent = await drain(store)
      expect(sent.map(searchOf).sort()).toEqual(['l1', 'p1', 'p2'])
      expect(sent.every((j) => j.locators?.email == EMAIL.email && j.replay)).toBe(true)
    })

    it('sends a re-identified visitor’s events to the link in force when each happened', async () => {
      await store.linkVisitor(link('visitor-shared', { externalCustomerId: 'alice' }, T0))
      await store.insertEvents(held('visitor-shared', [search('alice-1', T0 + 1)]))
      await store.linkVisitor(link('visitor-shared', { externalCustomerId: 'bob' }, T0 + 10, { at: T0 + 20 }))
      // One from before the new link arrives late; one from after it.
      await store.insertEvents(held('visitor-shared', [search('alice-late', T0 + 5), search('bob-1', T0 + 11)]))
      const sent = await drain(store)
      expect(sent.map((j) => [searchOf(j), j.locators?.externalCustomerId, j.replay])).toEqual([
        ['alice-1', 'alice', false],
        ['alice-late', 'alice', false],
        ['bob-1', 'bob', false],
      ])
      expect(await store.getLink('visitor-shared')).toEqual({ externalCustomerId: 'bob' })
    })

    it('replays anonymous history that arrives after the first link, with the first contact', async () => {
      await store.linkVisitor(link('visitor-late', EMAIL, T0))
      await store.insertEvents(held('visitor-late', [search('before', T0 - 1), search('after', T0 + 1)]))
      const sent = await drain(store)
      expect(sent.map((j) => [searchOf(j), j.replay, j.locators])).toEqual([
        ['before', true, EMAIL],
        ['after', false, EMAIL],
      ])
    })

    it('does not replay held events received before the TTL cut, and purges them', async () => {
      await store.insertEvents(held('visitor-ttl', [search('old', T0 - 5)], { receivedAt: T0 - 1000 }))
      await store.insertEvents(held('visitor-ttl', [search('new', T0 - 1)]))
      expect(await store.linkVisitor(link('visitor-ttl', EMAIL, T0, { heldAfter: T0 - 500 }))).toMatchObject({ released: 1 })
      expect((await drain(store)).map(searchOf)).toEqual(['new'])
      expect(await store.purge({ sentBefore: 0, heldBefore: T0 - 500, limit: 10 })).toMatchObject({ sent: 0, held: 1 })
      expect((await store.counts()).held).toBe(0)
    })

    it('keeps at most maxHeld events per visitor, dropping the oldest by ts', async () => {
      const first = await store.insertEvents(held('visitor-cap', [search('c', T0 - 1), search('a', T0 - 3)], { maxHeld: 2 }))
      expect(first).toMatchObject({ held: 2, dropped: 0 })
      const second = await store.insertEvents(held('visitor-cap', [search('b', T0 - 2), search('d', T0)], { maxHeld: 2 }))
      expect(second).toMatchObject({ inserted: 2, held: 2, dropped: 2 })
      await store.linkVisitor(link('visitor-cap', EMAIL, T0 + 1))
      expect((await drain(store)).map(searchOf)).toEqual(['c', 'd'])
    })

    it('keeps links and a replay half done across a close and reopen', async () => {
      await store.insertEvents(held('visitor-crash', [search('a', T0 - 3), search('b', T0 - 2), search('c', T0 - 1)]))
      await store.linkVisitor(link('visitor-crash', EMAIL, T0))
      const [a] = await store.claim({ limit: 10, now: T0 + 10, leaseMs: LEASE })
      await store.settle([{ id: a!.id, outcome: 'sent', at: T0 + 11 }])
      const [b] = await store.claim({ limit: 10, now: T0 + 12, leaseMs: LEASE })
      await store.settle([{ id: b!.id, outcome: 'release' }])
      store = await h.reopen()
      expect(await store.getLink('visitor-crash')).toEqual(EMAIL)
      expect((await drain(store)).map(searchOf)).toEqual(['b', 'c'])
    })
  })
}
