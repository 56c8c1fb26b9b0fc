import { describe, expect, it } from 'vitest'
import { buildEvent } from '../../src/sdk/events.js'

const at = { id: 'e-1', ts: 1732379999000, url: 'https://shop.example.com/p/1?ref=mail#reviews' }

describe('buildEvent', () => {
  it.each([
    ['pageViewed', {}, {}],
    ['productViewed', { productId: 'WS01', price: 45.5, isInStock: true }, { productId: 'WS01', price: 45.5, isInStock: true }],
    ['productCategoryViewed', { productCategoryId: 'mugs' }, { productCategoryId: 'mugs' }],
    [
      'productAddedToWishlist',
      { productId: 'WS01', price: 45.5, currencyCode: 'EUR' },
      { productId: 'WS01', price: 45.5, currencyCode: 'EUR' },
    ],
    [
      'productImpressions',
      { recomVariantId: 'r12v3', products: [{ productId: 'a' }, { productId: 'b' }] },
      { recomVariantId: 'r12v3', products: [{ productId: 'a' }, { productId: 'b' }] },
    ],
    ['searchRequest', { search: 'green mug', isFound: false }, { search: 'green mug', isFound: false }],
  ] as const)('a %s call becomes a wire event with the page, the time and the input as data', (type, input, data) => {
    expect(buildEvent(input as never, { ...at, type })).toEqual({ ...at, type, data })
  })

  it('a cart update carries the managed recycleStateId, and an empty cart is a cart too', () => {
    const event = buildEvent({ products: [] }, { ...at, type: 'cartUpdated' }, 'cart-7')
    expect(event.data).toEqual({ products: [], recycleStateId: 'cart-7' })
  })

  it('the cart id the tracker manages wins over one the site passes', () => {
    const event = buildEvent({ products: [], recycleStateId: 'mine' } as never, { ...at, type: 'cartUpdated' }, 'cart-7')
    expect(event.data).toMatchObject({ recycleStateId: 'cart-7' })
  })

  it('pageViewed takes the url a single-page app passes, as given, instead of the current address', () => {
    const event = buildEvent({ url: '/spa/orders' }, { ...at, type: 'pageViewed' })
    expect(event.url).toBe('/spa/orders')
    expect(event.data).toEqual({})
  })

  it('the site input is copied, so changing it later does not change the queued event', () => {
    const input = { productId: 'WS01', price: 1 }
    const event = buildEvent(input, { ...at, type: 'productViewed' })
    input.price = 2
    expect(event.data).toMatchObject({ price: 1 })
  })
})
