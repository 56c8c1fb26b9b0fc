// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest'
import { reloadPage } from './support/page.js'
import { waitFor } from './support/relay-stub.js'
import { useTrackers, UUID } from './support/trackers.js'

const { env, track } = useTrackers()
const relay = () => env.relay
const errors = env.errors
const page = () => `${relay().url}/shop/p/1`

describe('the wire event of each helper', () => {
  it.each([
    ['pageViewed', undefined, {}],
    ['productViewed', { productId: 'WS01', price: 45.5, isInStock: true }, { productId: 'WS01', price: 45.5, isInStock: true }],
    ['productCategoryViewed', { productCategoryId: 'mugs' }, { productCategoryId: 'mugs' }],
    ['productAddedToWishlist', { productId: 'WS01', price: 45.5, currencyCode: 'EUR' }, { productId: 'WS01', price: 45.5, currencyCode: 'EUR' }],
    ['productImpressions', { recomVariantId: 'r12v3', products: [{ productId: 'a' }] }, { recomVariantId: 'r12v3', products: [{ productId: 'a' }] }],
    ['searchRequest', { search: 'green mug', isFound: false }, { search: 'green mug', isFound: false }],
  ] as const)('%s carries the page, the time and the input as data', async (type, input, data) => {
    const id = (track() as any)[type](input)
    await waitFor(() => relay().events().length == 1)
    const [event] = relay().events()
    expect(event).toEqual({ id, type, ts: expect.any(Number), url: page(), data })
    expect(Math.abs(event.ts - Date.now())).toBeLessThan(5000)
  })

  it('pageViewed takes the url a single-page app passes, as given, instead of the current address', async () => {
    track().pageViewed({ url: '/spa/orders' })
    await waitFor(() => relay().events().length == 1)
    expect(relay().events()[0]).toMatchObject({ url: '/spa/orders', data: {} })
  })

  it("a cart update carries the tracker's cart id, which wins over one the site passes", async () => {
    const tracker = track()
    tracker.cartUpdated({ products: [], recycleStateId: 'mine' } as never)
    await waitFor(() => relay().events().length == 1)
    expect(relay().events()[0]!.data).toEqual({ products: [], recycleStateId: tracker.cart.id })
  })

  it('copies the input at the call, so changing it later does not change the queued event', async () => {
    const input = { productId: 'WS01', price: 1 }
    track().productViewed(input)
    input.price = 2
    await waitFor(() => relay().events().length == 1)
    expect(relay().events()[0]!.data.price).toBe(1)
  })
})

describe('track: custom events', () => {
  it('sends the eventTypeKey as the type and the params as data, in the /v1/e batch, and returns the id', async () => {
    const id = track().track('quizCompleted', { quizId: 'q7', score: 8, passed: true, answers: ['a', 'c'], url: '/quiz/7' })
    expect(id).toMatch(UUID)
    await waitFor(() => relay().events().length == 1)
    expect(relay().received[0]!.path).toBe('/v1/e')
    // A param named url is a param like any other: the event's url stays the page's.
    expect(relay().events()[0]).toEqual({
      id,
      type: 'quizCompleted',
      ts: expect.any(Number),
      url: page(),
      data: { quizId: 'q7', score: 8, passed: true, answers: ['a', 'c'], url: '/quiz/7' },
    })
  })

  it('sends empty data when there are no params', async () => {
    track().track('backInStockRequested')
    await waitFor(() => relay().events().length == 1)
    expect(relay().events()[0]).toMatchObject({ type: 'backInStockRequested', data: {} })
  })

  it("passes on the relay's refusal to onError as method track, with the id and the reason", async () => {
    const reason = 'type must be one of the seven eSputnik web events or a custom event type listed in CUSTOM_EVENT_TYPES'
    relay().answerWith(({ body }) => ({ status: 202, body: { accepted: 0, rejected: body.events.map(({ id }: any) => ({ id, reason })) } }))
    const id = track().track('quizCompleted', { score: 8 })
    await waitFor(() => errors.length == 1)
    expect(errors).toEqual([{ method: 'track', id, reason }])
  })
})

describe('purchased: the thank-you page', () => {
  const order = { orderId: 'o-1001', totalCost: 91, currencyCode: 'UAH', items: [{ productId: 'WS01', quantity: 2, price: 45.5, name: 'Mug' }] }

  it("sends orderCreated with the order and the current cart's id, then starts a new cart", async () => {
    const tracker = track()
    tracker.cartUpdated({ products: [{ productId: 'WS01', quantity: 2, price: 45.5 }] })
    const cart = tracker.cart.id
    const id = tracker.purchased(order)
    expect(id).toMatch(UUID)
    expect(tracker.cart.id).not.toBe(cart)
    tracker.cartUpdated({ products: [{ productId: 'WS02', quantity: 1, price: 12 }] })
    await waitFor(() => relay().events().length == 3)
    const [before, purchase, after] = relay().events()
    expect(purchase).toEqual({ id, type: 'orderCreated', ts: expect.any(Number), url: page(), data: { ...order, recycleStateId: cart } })
    expect(before!.data.recycleStateId).toBe(cart)
    expect(after!.data.recycleStateId).toBe(tracker.cart.id)
    expect(after!.data.recycleStateId).not.toBe(cart)
  })

  it('keeps the new cart on the next page load, so a reload of the thank-you page reuses no bought cart', () => {
    const tracker = track()
    const bought = tracker.cart.id
    tracker.purchased(order)
    const next = tracker.cart.id
    reloadPage()
    expect(track().cart.id).toBe(next)
    expect(next).not.toBe(bought)
  })

  it("passes on the relay's refusal to onError as method purchased", async () => {
    relay().answerWith(({ body }) => ({
      status: 202,
      body: { accepted: 0, rejected: body.events.map(({ id }: any) => ({ id, reason: 'orderCreated: totalCost must be a number' })) },
    }))
    const id = track().purchased({ ...order, totalCost: 'a lot' } as never)
    await waitFor(() => errors.length == 1)
    expect(errors).toEqual([{ method: 'purchased', id, reason: 'orderCreated: totalCost must be a number' }])
  })
})
