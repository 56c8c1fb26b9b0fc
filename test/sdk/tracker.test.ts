// @vitest-environment happy-dom
import Cookies from 'js-cookie'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { TrackerError, TrackerOptions } from '../../src/sdk/options.js'
import { LEASE } from '../../src/sdk/queue.js'
import { createBrowserTracker, type Tracker } from '../../src/sdk/tracker.js'
import { freshPage } from './support/page.js'
import { startRelayStub, waitFor, type RelayStub } from './support/relay-stub.js'

let relay: RelayStub
const trackers: Tracker[] = []
const errors: TrackerError[] = []

/** A tracker on the stub relay; page views and SPA off unless a test asks, so counts stay exact. */
function track(options: Partial<TrackerOptions> = {}) {
  const tracker = createBrowserTracker({
    endpoint: relay.url,
    autoPageViews: false,
    spa: false,
    flushInterval: 20,
    onError: (error) => errors.push(error),
    ...options,
  })
  trackers.push(tracker)
  return tracker
}

beforeEach(async () => {
  relay = await startRelayStub()
  freshPage(`${relay.url}/shop/p/1`)
  errors.length = 0
})

afterEach(async () => {
  vi.useRealTimers()
  vi.unstubAllGlobals()
  // Earlier trackers keep their page listeners; opting them out makes them inert.
  for (const tracker of trackers.splice(0)) tracker.optOut()
  await relay.close()
})

describe('sending events', () => {
  it('sends every helper as one wire event, in order, in a text/plain batch to /v1/e', async () => {
    const tracker = track()
    const ids = [
      tracker.pageViewed(),
      tracker.productViewed({ productId: 'WS01', price: 45.5, isInStock: true }),
      tracker.productCategoryViewed({ productCategoryId: 'mugs' }),
      tracker.cartUpdated({ products: [{ productId: 'WS01', quantity: 1, price: 45.5 }] }),
      tracker.productAddedToWishlist({ productId: 'WS02', price: 12 }),
      tracker.productImpressions({ recomVariantId: 'r12v3', products: [{ productId: 'WS03' }] }),
      tracker.searchRequest({ search: 'green mug', isFound: false }),
    ]
    await waitFor(() => relay.events().length == 7)
    const [batch] = relay.received
    expect(batch!.contentType).toMatch(/^text\/plain/)
    expect(batch!.body).toMatchObject({ v: 1, visitor: tracker.visitorId })
    expect(relay.events().map((e) => e.id)).toEqual(ids)
    expect(relay.events().map((e) => e.type)).toEqual([
      'pageViewed',
      'productViewed',
      'productCategoryViewed',
      'cartUpdated',
      'productAddedToWishlist',
      'productImpressions',
      'searchRequest',
    ])
    expect(relay.events()[1]).toMatchObject({
      url: `${relay.url}/shop/p/1`,
      data: { productId: 'WS01', price: 45.5, isInStock: true },
    })
    expect(relay.events()[3]!.data.recycleStateId).toBe(tracker.cart.id)
    expect(Math.abs(relay.events()[0]!.ts - Date.now())).toBeLessThan(5000)
  })

  it('sends a page view on load by itself', async () => {
    track({ autoPageViews: true })
    await waitFor(() => relay.events().length == 1)
    expect(relay.events()[0]).toMatchObject({ type: 'pageViewed', url: `${relay.url}/shop/p/1` })
  })

  it('waits up to flushInterval to gather events, then sends them together', async () => {
    const tracker = track({ flushInterval: 300 })
    tracker.productViewed({ productId: 'a', price: 1 })
    tracker.productViewed({ productId: 'b', price: 1 })
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect(relay.received).toHaveLength(0)
    await waitFor(() => relay.received.length == 1)
    expect(relay.events()).toHaveLength(2)
  })

  it('sends at once when batchSize events are waiting', async () => {
    const tracker = track({ flushInterval: 60_000, batchSize: 3 })
    for (const productId of ['a', 'b', 'c']) tracker.productViewed({ productId, price: 1 })
    await waitFor(() => relay.events().length == 3)
    expect(relay.received).toHaveLength(1)
  })

  it('tells the relay the default currency once per batch', async () => {
    track({ currencyCode: 'UAH' }).productViewed({ productId: 'a', price: 1 })
    await waitFor(() => relay.received.length == 1)
    expect(relay.received[0]!.body.currencyCode).toBe('UAH')
  })

  it('flush() resolves once the relay has answered', async () => {
    const tracker = track({ flushInterval: 60_000 })
    tracker.productViewed({ productId: 'a', price: 1 })
    await tracker.flush()
    expect(relay.events()).toHaveLength(1)
  })

  it('strips a trailing slash from the endpoint', async () => {
    track({ endpoint: `${relay.url}/` }).pageViewed()
    await waitFor(() => relay.received.length == 1)
    expect(relay.received[0]!.path).toBe('/v1/e')
  })
})

describe('subscribe and identify', () => {
  it('posts a subscribe at once to /v1/subscribe with the visitor, an id and the time', async () => {
    const tracker = track({ flushInterval: 60_000 })
    const id = tracker.subscribe({ email: 'ann@example.com', firstName: 'Ann', formType: 'footer' })
    await waitFor(() => relay.received.length == 1)
    expect(relay.received[0]).toMatchObject({
      path: '/v1/subscribe',
      body: { v: 1, id, visitor: tracker.visitorId, email: 'ann@example.com', firstName: 'Ann', formType: 'footer' },
    })
  })

  it('posts identify to /v1/identify with the signature from the backend', async () => {
    const tracker = track({ flushInterval: 60_000 })
    tracker.identify({ externalCustomerId: 'c-42', signature: 'ab'.repeat(32) })
    await waitFor(() => relay.received.length == 1)
    expect(relay.received[0]).toMatchObject({
      path: '/v1/identify',
      body: { visitor: tracker.visitorId, externalCustomerId: 'c-42', signature: 'ab'.repeat(32) },
    })
  })

  it('sends the events made before a subscribe first, so the relay holds them for the join', async () => {
    const tracker = track({ flushInterval: 60_000 })
    tracker.productViewed({ productId: 'a', price: 1 })
    tracker.subscribe({ email: 'ann@example.com' })
    await waitFor(() => relay.received.length == 2)
    expect(relay.received.map((r) => r.path)).toEqual(['/v1/e', '/v1/subscribe'])
  })
})

describe('the visitor and the cart', () => {
  it('keeps one visitor id across page loads', () => {
    const first = track().visitorId
    expect(track().visitorId).toBe(first)
    expect(Cookies.get('sc')).toBe(first)
  })

  it('starts a new visitor on reset, and what came before stays with the old one', async () => {
    const tracker = track({ flushInterval: 60_000 })
    const before = tracker.visitorId
    tracker.productViewed({ productId: 'a', price: 1 })
    const after = tracker.reset()
    tracker.productViewed({ productId: 'b', price: 1 })
    await tracker.flush()
    expect(after).not.toBe(before)
    expect(relay.received.map((r) => [r.body.visitor, r.body.events[0].data.productId])).toEqual([
      [before, 'a'],
      [after, 'b'],
    ])
  })

  it('keeps the cart id across page loads until cart.reset() after a purchase', () => {
    const cart = track().cart.id
    expect(track().cart.id).toBe(cart)
    const next = track().cart.reset()
    expect(next).not.toBe(cart)
    expect(track().cart.id).toBe(next)
  })
})

describe('delivery that fails', () => {
  it('retries a batch the relay could not take (503) and delivers it once', async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    relay.failNext(503, 1)
    const tracker = track()
    tracker.productViewed({ productId: 'a', price: 1 })
    await waitFor(() => relay.received.length == 1)
    // The failed send keeps its lease for a while; move the clock past it.
    vi.setSystemTime(Date.now() + LEASE + 1)
    await waitFor(() => relay.received.length == 2, 8000)
    expect(relay.received.map((r) => r.body.events[0].id)).toEqual([relay.received[0]!.body.events[0].id, relay.received[0]!.body.events[0].id])
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect(relay.received).toHaveLength(2)
  })

  it('drops a batch the relay refuses for good (400) and reports why', async () => {
    relay.answerWith(() => ({ status: 400, body: { error: 'events must be a non-empty list' } }))
    const tracker = track()
    tracker.productViewed({ productId: 'a', price: 1 })
    await waitFor(() => errors.length == 1)
    expect(errors[0]).toEqual({ method: 'e', message: '400 {"error":"events must be a non-empty list"}' })
    await tracker.flush()
    expect(relay.received).toHaveLength(1)
  })

  it('reports the events the relay rejected, with their reasons', async () => {
    relay.answerWith(({ body }) => ({
      status: 202,
      body: { accepted: 1, rejected: [{ id: body.events[1].id, reason: 'productViewed: productId must be a string' }] },
    }))
    const tracker = track()
    tracker.productViewed({ productId: 'a', price: 1 })
    const bad = tracker.productViewed({ price: 1 } as never)
    await waitFor(() => errors.length == 1)
    expect(errors[0]!.method).toBe('e')
    expect(JSON.parse(errors[0]!.message.replace(/^202 /, ''))).toEqual({
      accepted: 1,
      rejected: [{ id: bad, reason: 'productViewed: productId must be a string' }],
    })
  })

  it('keeps events made while the relay is down through a page unload, and the next page sends them', async () => {
    relay.failNext(503, 1000)
    const tracker = track({ flushInterval: 60_000 })
    const id = tracker.productViewed({ productId: 'a', price: 1 })
    dispatchEvent(new Event('pagehide'))
    await waitFor(() => relay.received.length == 1)
    relay.failNext(503, 0)
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(Date.now() + LEASE + 1)
    track() // the next page load
    await waitFor(() => relay.events().some((e) => e.id == id))
  })
})

describe('consent', () => {
  it('pending keeps events in memory, sets no cookie and sends nothing until optIn', async () => {
    const tracker = track({ consent: 'pending' })
    tracker.productViewed({ productId: 'a', price: 1 })
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect(relay.received).toHaveLength(0)
    expect(Cookies.get('sc')).toBeUndefined()
    expect(tracker.visitorId).toBe('')
    expect(Object.keys(localStorage)).toEqual([])
    tracker.optIn()
    await waitFor(() => relay.events().length == 1)
    expect(Cookies.get('sc')).toBe(tracker.visitorId)
  })

  it('denied sends nothing and stores no id', async () => {
    const tracker = track({ consent: 'denied' })
    expect(tracker.productViewed({ productId: 'a', price: 1 })).toBe('')
    await tracker.flush()
    expect(relay.received).toHaveLength(0)
    expect(Cookies.get('sc')).toBeUndefined()
    expect(tracker.visitorId).toBe('')
  })

  it('optOut forgets the visitor and what was waiting, and sends nothing after', async () => {
    relay.failNext(503, 1000)
    const tracker = track()
    tracker.productViewed({ productId: 'a', price: 1 })
    await waitFor(() => relay.received.length == 1)
    tracker.optOut()
    expect(Cookies.get('sc')).toBeUndefined()
    expect(Object.keys(localStorage).filter((key) => key.startsWith('esputnik:'))).toEqual([])
    tracker.productViewed({ productId: 'b', price: 1 })
    await tracker.flush()
    expect(relay.received).toHaveLength(1)
  })

  it('with respectGPC, the Global Privacy Control signal counts as denied', async () => {
    vi.stubGlobal('navigator', Object.assign(Object.create(navigator), { globalPrivacyControl: true }))
    const tracker = track({ respectGPC: true })
    tracker.productViewed({ productId: 'a', price: 1 })
    await tracker.flush()
    expect(relay.received).toHaveLength(0)
    expect(Cookies.get('sc')).toBeUndefined()
  })
})

describe('never throwing into the page', () => {
  it.each([undefined, null, 42, 'text', { price: NaN }])('a helper given %p returns an id and throws nothing', (input) => {
    expect(() => track().productViewed(input as never)).not.toThrow()
  })

  it('an onError that throws does not break the tracker', async () => {
    relay.answerWith(() => ({ status: 400, body: { error: 'no' } }))
    const tracker = track({
      onError: () => {
        throw new Error('site bug')
      },
    })
    tracker.productViewed({ productId: 'a', price: 1 })
    await waitFor(() => relay.received.length == 1)
    relay.answerWith(({ body }) => ({ status: 202, body: { accepted: body.events.length, rejected: [] } }))
    tracker.productViewed({ productId: 'b', price: 1 })
    await waitFor(() => relay.events().length == 2)
  })

  it('an input the browser cannot serialise is reported, and the other calls go on', async () => {
    const tracker = track()
    const loop: Record<string, unknown> = {}
    loop.self = loop
    expect(tracker.productViewed({ productId: 'a', price: 1, properties: loop } as never)).toBe('')
    const next = tracker.productViewed({ productId: 'b', price: 1 })
    await waitFor(() => errors.length == 1)
    expect(errors[0]!.method).toBe('e')
    await waitFor(() => relay.events().some((e) => e.id == next))
  })
})

describe('which answers are retried', () => {
  it.each([408, 429, 500, 502, 503])('retries after %i, keeping the batch', async (status) => {
    relay.failNext(status, 1)
    const tracker = track()
    tracker.productViewed({ productId: 'a', price: 1 })
    await waitFor(() => relay.received.length == 1)
    expect(Object.keys(localStorage).filter((key) => key.startsWith('esputnik:q:'))).toHaveLength(1)
    expect(errors).toEqual([])
  })

  it.each([400, 404, 413, 415])('drops the batch after %i and reports it', async (status) => {
    relay.answerWith(() => ({ status, body: { error: 'no' } }))
    const tracker = track()
    tracker.productViewed({ productId: 'a', price: 1 })
    await waitFor(() => errors.length == 1)
    expect(Object.keys(localStorage).filter((key) => key.startsWith('esputnik:q:'))).toEqual([])
    expect(errors[0]!.message).toBe(`${status} {"error":"no"}`)
  })
})
