import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import type { Locators } from '../../../src/relay/esputnik/locators.js'
import type { Job, SubscribePayload } from '../../../src/relay/store/types.js'
import { wireEvent } from '../helpers.js'
import { ERASABLE_STORES, storeOfEachTest } from './erase-harness.js'

const T0 = 1_800_000_000_000
const LEASE = 30_000
const EMAIL = 'erased@example.com'
const OTHER = 'kept@example.com'

const search = (text: string, ts = T0 - 1000) => wireEvent('searchRequest', { search: text }, { ts })
const subscribe = (visitor: string, email = EMAIL): SubscribePayload => ({ id: randomUUID(), visitor, ts: T0, email })
const link = (visitor: string, locators: Locators) => ({ visitor, locators, since: T0 - 10_000, heldAfter: 0, at: T0 })
const zeros = { held: 0, queued: 0, sent: 0, dead: 0 }
/** Every kind of job and every other table is listed in an erase's counts, zeros included. */
const noJobs = { event: zeros, subscribe: zeros, tokens: zeros, order: zeros, 'order-event': zeros }
const noTables = { telegram_chats: 0, telegram_codes: 0, visitor_carts: 0, order_contexts: 0 }

describe.each(ERASABLE_STORES)('Store.erase: %s', (_name, open) => {
  const h = storeOfEachTest(open)

  /** One visitor with something in every state: held history, a dead letter, a sent event, a queued one, a subscribe. */
  async function person(visitor: string, email = EMAIL) {
    await h.store.insertEvents({ visitor, events: [search(`${visitor}-held-1`), search(`${visitor}-held-2`)], receivedAt: T0, anonymous: 'hold' })
    await h.store.insertEvents({ visitor, events: [search(`${visitor}-dead`), search(`${visitor}-sent`)], receivedAt: T0, anonymous: 'forward' })
    const claimed = await h.store.claim({ limit: 10, now: T0, leaseMs: LEASE })
    const text = (job: Job) => (job.kind == 'event' ? (job.event.data as { search: string }).search : '')
    await h.store.settle(
      claimed.map((job) =>
        text(job) == `${visitor}-dead`
          ? { id: job.id, outcome: 'dead', at: T0 + 1, reason: `eSputnik answered 400 for ${email}`, status: 400 }
          : text(job) == `${visitor}-sent`
            ? { id: job.id, outcome: 'sent', at: T0 + 1 }
            : { id: job.id, outcome: 'release' },
      ),
    )
    await h.store.insertSubscribe({ request: subscribe(visitor, email), receivedAt: T0 })
    await h.store.insertEvents({ visitor, events: [search(`${visitor}-queued`, T0 + 5)], receivedAt: T0, anonymous: 'forward' })
  }

  it('erases a visitor: its jobs become ids only, counted by kind and state, and its links go', async () => {
    await person('visitor-erased-1')
    await h.store.linkVisitor({ ...link('visitor-erased-1', { contactId: '7', email: EMAIL }), since: T0 + 1 })
    await person('visitor-kept-01', OTHER)
    const before = await h.store.counts()
    const { counts, identifiers } = await h.store.erase({ visitor: 'visitor-erased-1' }, T0 + 50)
    // The link released the two held events into the queue, so they count as queued.
    expect(counts).toEqual({
      visitors: 1,
      links: 1,
      jobs: { ...noJobs, event: { held: 0, queued: 3, sent: 1, dead: 1 }, subscribe: { ...zeros, queued: 1 } },
      tables: noTables,
    })
    expect(new Set(identifiers)).toEqual(new Set(['visitor-erased-1', '7', EMAIL]))
    expect(await h.store.listLinks('visitor-erased-1')).toEqual([])
    expect((await h.store.listDeadLetters()).map((d) => d.visitor)).toEqual(['visitor-kept-01'])
    // Only the kept visitor's held and queued jobs are left to send; the erased ones wait as dedup ids until the window ends.
    expect(await h.store.counts()).toMatchObject({ held: 2, queued: 2, dead: 1, sent: before.sent + 5 })
  })

  it('leaves nothing personal in a tombstone, and a resent id is still a duplicate', async () => {
    const events = [search('secret-search-term')]
    await h.store.insertEvents({ visitor: 'visitor-erased-2', events, receivedAt: T0, anonymous: 'hold' })
    await h.store.insertSubscribe({ request: subscribe('visitor-erased-2'), receivedAt: T0 })
    await h.store.linkVisitor(link('visitor-erased-2', { email: EMAIL }))
    await h.store.erase({ locator: 'email', value: EMAIL }, T0 + 50)
    const text = await h.dump(['jobs', 'visitor_links'])
    for (const personal of ['visitor-erased-2', EMAIL, 'secret-search-term']) expect(text).not.toContain(personal)
    expect(await h.store.counts()).toMatchObject({ held: 0, queued: 0, sent: 2, dead: 0 })
    expect(await h.store.insertEvents({ visitor: 'visitor-erased-2', events, receivedAt: T0 + 60, anonymous: 'hold' })).toMatchObject({ duplicates: 1, inserted: 0 })
  })

  it.each<[string, Locators, { locator: keyof Locators; value: string }]>([
    ['email', { email: EMAIL }, { locator: 'email', value: EMAIL }],
    ['phone', { phone: '380501234567' }, { locator: 'phone', value: '380501234567' }],
    ['externalCustomerId', { externalCustomerId: 'customer-42' }, { locator: 'externalCustomerId', value: 'customer-42' }],
    ['contactId', { contactId: '100042', email: EMAIL }, { locator: 'contactId', value: '100042' }],
  ])('erases by %s every visitor linked to it, and no other', async (_kind, locators, target) => {
    for (const visitor of ['visitor-phone-01', 'visitor-laptop-1']) {
      await h.store.insertEvents({ visitor, events: [search(visitor)], receivedAt: T0, anonymous: 'hold' })
      await h.store.linkVisitor(link(visitor, locators))
    }
    await h.store.linkVisitor(link('visitor-someone1', { email: OTHER, externalCustomerId: 'customer-4', phone: '38050123456', contactId: '10004' }))
    const { counts } = await h.store.erase(target, T0 + 50)
    expect(counts).toMatchObject({ visitors: 2, links: 2, jobs: { event: { ...zeros, queued: 2 } } })
    expect(await h.store.getLink('visitor-phone-01')).toBeUndefined()
    expect(await h.store.getLink('visitor-someone1')).toEqual({ email: OTHER, externalCustomerId: 'customer-4', phone: '38050123456', contactId: '10004' })
  })

  it('finds by email a visitor whose subscribe is not sent yet, which would link it', async () => {
    await h.store.insertEvents({ visitor: 'visitor-pending1', events: [search('pending')], receivedAt: T0, anonymous: 'hold' })
    await h.store.insertSubscribe({ request: subscribe('visitor-pending1'), receivedAt: T0 })
    const { counts } = await h.store.erase({ locator: 'email', value: EMAIL }, T0 + 50)
    expect(counts).toMatchObject({ visitors: 1, links: 0, jobs: { event: { ...zeros, held: 1 }, subscribe: { ...zeros, queued: 1 } } })
    expect(await h.store.claim({ limit: 10, now: T0 + 100, leaseMs: LEASE })).toEqual([])
  })

  it('answers zeros when nothing matches, and takes an email as text, not as a pattern', async () => {
    await h.store.linkVisitor(link('visitor-someone2', { email: 'a_b@example.com' }))
    const none = { visitors: 0, links: 0, jobs: noJobs, tables: noTables }
    expect((await h.store.erase({ visitor: 'visitor-nobody-1' }, T0)).counts).toEqual(none)
    expect((await h.store.erase({ locator: 'email', value: 'a%b@example.com' }, T0)).counts).toEqual(none)
    expect((await h.store.erase({ locator: 'email', value: 'example.com' }, T0)).counts).toEqual(none)
    expect(await h.store.getLink('visitor-someone2')).toEqual({ email: 'a_b@example.com' })
  })

  it('lets a subscribe in flight settle as nothing: it links no one and releases nothing', async () => {
    await h.store.insertEvents({ visitor: 'visitor-flight-1', events: [search('before')], receivedAt: T0, anonymous: 'hold' })
    await h.store.insertSubscribe({ request: subscribe('visitor-flight-1'), receivedAt: T0 })
    const [job] = await h.store.claim({ limit: 1, now: T0, leaseMs: LEASE })
    await h.store.erase({ visitor: 'visitor-flight-1' }, T0 + 1)
    const linking = { locators: { email: EMAIL }, since: T0, heldAfter: 0 }
    expect(await h.store.settle([{ id: job!.id, outcome: 'sent', at: T0 + 2, link: linking }])).toEqual({ linked: 0, released: 0 })
    expect(await h.store.getLink('visitor-flight-1')).toBeUndefined()
    expect(await h.store.claim({ limit: 10, now: T0 + 100, leaseMs: LEASE })).toEqual([])
  })

  it('holds the later events of an erased visitor, as a stranger’s', async () => {
    await h.store.linkVisitor(link('visitor-again-01', { email: EMAIL }))
    await h.store.erase({ locator: 'email', value: EMAIL }, T0 + 50)
    expect(await h.store.insertEvents({ visitor: 'visitor-again-01', events: [search('after', T0 + 60)], receivedAt: T0 + 60, anonymous: 'hold' })).toMatchObject({ held: 1, queued: 0 })
  })
})
