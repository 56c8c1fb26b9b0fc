// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest'
import { waitFor } from './support/relay-stub.js'
import { useTrackers } from './support/trackers.js'

const { env, track } = useTrackers()
const relay = () => env.relay
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
