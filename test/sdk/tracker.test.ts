// @vitest-environment happy-dom
import Cookies from 'js-cookie'
import { describe, expect, it } from 'vitest'
import { reloadPage } from './support/page.js'
import { waitFor } from './support/relay-stub.js'
import { useTrackers, UUID } from './support/trackers.js'

const { env, track } = useTrackers()
const relay = () => env.relay
const errors = env.errors

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
    await waitFor(() => relay().events().length == 7)
    const [batch] = relay().received
    expect(batch!.contentType).toMatch(/^text\/plain/)
    expect(batch!.body).toMatchObject({ v: 1, visitor: tracker.visitorId })
    expect(relay().events().map((e) => e.id)).toEqual(ids)
    expect(relay().events().map((e) => e.type)).toEqual([
      'pageViewed',
      'productViewed',
      'productCategoryViewed',
      'cartUpdated',
      'productAddedToWishlist',
      'productImpressions',
      'searchRequest',
    ])
    expect(relay().events()[1]).toMatchObject({
      url: `${relay().url}/shop/p/1`,
      data: { productId: 'WS01', price: 45.5, isInStock: true },
    })
    expect(relay().events()[3]!.data.recycleStateId).toBe(tracker.cart.id)
    expect(Math.abs(relay().events()[0]!.ts - Date.now())).toBeLessThan(5000)
  })

  it('sends a page view on load by itself', async () => {
    track({ autoPageViews: true })
    await waitFor(() => relay().events().length == 1)
    expect(relay().events()[0]).toMatchObject({ type: 'pageViewed', url: `${relay().url}/shop/p/1` })
  })

  it('waits up to flushInterval to gather events, then sends them together', async () => {
    const tracker = track({ flushInterval: 300 })
    const start = performance.now()
    tracker.productViewed({ productId: 'a', price: 1 })
    tracker.productViewed({ productId: 'b', price: 1 })
    await waitFor(() => relay().received.length == 1)
    expect(performance.now() - start).toBeGreaterThanOrEqual(290)
    expect(relay().events()).toHaveLength(2)
  })

  it('sends at once when batchSize events are waiting', async () => {
    const tracker = track({ flushInterval: 60_000, batchSize: 3 })
    for (const productId of ['a', 'b', 'c']) tracker.productViewed({ productId, price: 1 })
    await waitFor(() => relay().events().length == 3)
    expect(relay().received).toHaveLength(1)
  })

  it('tells the relay the default currency once per batch', async () => {
    track({ currencyCode: 'UAH' }).productViewed({ productId: 'a', price: 1 })
    await waitFor(() => relay().received.length == 1)
    expect(relay().received[0]!.body.currencyCode).toBe('UAH')
  })

  it('flush() resolves once the relay has answered', async () => {
    const tracker = track({ flushInterval: 60_000 })
    tracker.productViewed({ productId: 'a', price: 1 })
    await tracker.flush()
    expect(relay().events()).toHaveLength(1)
  })

  it('strips a trailing slash from the endpoint', async () => {
    track({ endpoint: `${relay().url}/` }).pageViewed()
    await waitFor(() => relay().received.length == 1)
    expect(relay().received[0]!.path).toBe('/v1/e')
  })
})

describe('subscribe and identify', () => {
  it('posts a subscribe at once to /v1/subscribe with the visitor, an id and the time', async () => {
    const tracker = track({ flushInterval: 60_000 })
    const id = tracker.subscribe({ email: 'ann@example.com', firstName: 'Ann', formType: 'footer' })
    await waitFor(() => relay().received.length == 1)
    expect(relay().received[0]).toMatchObject({
      path: '/v1/subscribe',
      body: { v: 1, id, visitor: tracker.visitorId, email: 'ann@example.com', firstName: 'Ann', formType: 'footer' },
    })
  })

  it('posts identify to /v1/identify with the signature from the backend', async () => {
    const tracker = track({ flushInterval: 60_000 })
    tracker.identify({ externalCustomerId: 'c-42', signature: 'ab'.repeat(32) })
    await waitFor(() => relay().received.length == 1)
    expect(relay().received[0]).toMatchObject({
      path: '/v1/identify',
      body: { visitor: tracker.visitorId, externalCustomerId: 'c-42', signature: 'ab'.repeat(32) },
    })
  })

  it('sends the events made before a subscribe first, so the relay holds them for the join', async () => {
    const tracker = track({ flushInterval: 60_000 })
    tracker.productViewed({ productId: 'a', price: 1 })
    tracker.subscribe({ email: 'ann@example.com' })
    await waitFor(() => relay().received.length == 2)
    expect(relay().received.map((r) => r.path)).toEqual(['/v1/e', '/v1/subscribe'])
  })
})

describe('the visitor and the cart', () => {
  it('keeps one visitor id across page loads', () => {
    const first = track().visitorId
    reloadPage()
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
    expect(relay().received.map((r) => [r.body.visitor, r.body.events[0].data.productId])).toEqual([
      [before, 'a'],
      [after, 'b'],
    ])
  })

  it('keeps the cart id across page loads until cart.reset() after a purchase', () => {
    const cart = track().cart.id
    reloadPage()
    expect(track().cart.id).toBe(cart)
    reloadPage()
    const next = track().cart.reset()
    expect(next).not.toBe(cart)
    reloadPage()
    expect(track().cart.id).toBe(next)
  })
})

describe('never throwing into the page', () => {
  it.each([undefined, null, 42, 'text', { price: NaN }])(
    'a helper given %p throws nothing and returns the id of the event the relay receives',
    async (input) => {
      const id = track().productViewed(input as never)
      expect(id).toMatch(UUID)
      // The relay, not the SDK, judges the input: the event goes with this id.
      await waitFor(() => relay().events().length == 1)
      expect(relay().events()[0]).toMatchObject({ id, type: 'productViewed' })
    },
  )

  it('an onError that throws does not break the tracker', async () => {
    relay().answerWith(() => ({ status: 400, body: { error: 'no' } }))
    const tracker = track({
      onError: () => {
        throw new Error('site bug')
      },
    })
    tracker.productViewed({ productId: 'a', price: 1 })
    await waitFor(() => relay().received.length == 1)
    relay().answerWith(({ body }) => ({ status: 202, body: { accepted: body.events.length, rejected: [] } }))
    tracker.productViewed({ productId: 'b', price: 1 })
    await waitFor(() => relay().events().length == 2)
  })

  it('an input the browser cannot serialise is reported, and the other calls go on', async () => {
    const tracker = track()
    const loop: Record<string, unknown> = {}
    loop.self = loop
    expect(tracker.productViewed({ productId: 'a', price: 1, properties: loop } as never)).toBe('')
    const next = tracker.productViewed({ productId: 'b', price: 1 })
    await waitFor(() => errors.length == 1)
    expect(errors[0]).toEqual({ method: 'productViewed', reason: expect.stringMatching(/circular/i) })
    await waitFor(() => relay().events().some((e) => e.id == next))
  })
})
