import { describe, expect, it } from 'vitest'
import { parseBatch } from '../../src/wire/batch.js'

const TS = 1_732_379_999_000
const event = (type: string, data: object, extra: object = {}) => ({ id: `event-${type}-${Math.random().toString(36).slice(2, 8)}`, type, ts: TS, url: 'https://shop.example.com/p/1', data, ...extra })
const batch = (events: unknown[], extra: object = {}) => ({ v: 1, visitor: 'visitor-wire-1', events, ...extra })

describe('parseBatch', () => {
  it('takes a batch without `sent`, as the SDK now posts it', () => {
    const parsed = parseBatch(batch([event('searchRequest', { search: 'mug' })]))
    expect(parsed).toMatchObject({ visitor: 'visitor-wire-1', rejected: [] })
    expect(parsed.sent).toBeUndefined()
    expect(parsed.events).toHaveLength(1)
  })

  it('applies the batch’s currencyCode to the events that take one and have none', () => {
    const viewed = event('productViewed', { productId: 'a', price: 1 })
    const own = event('productAddedToWishlist', { productId: 'a', price: 1, currencyCode: 'EUR' })
    const cart = event('cartUpdated', { products: [{ productId: 'a', quantity: 1, price: 1 }], recycleStateId: 'cart-1' })
    const search = event('searchRequest', { search: 'mug' })
    const { events, currencyCode } = parseBatch(batch([viewed, own, cart, search], { currencyCode: 'UAH' }))
    expect(currencyCode).toBe('UAH')
    expect(events.map((e) => (e.data as { currencyCode?: string }).currencyCode)).toEqual(['UAH', 'EUR', 'UAH', undefined])
  })

  it.each(['usd', 'US', 'EURO', 840, null])('refuses the whole batch when currencyCode is %j', (currencyCode) => {
    expect(() => parseBatch(batch([event('searchRequest', { search: 'mug' })], { currencyCode }))).toThrow('currencyCode must be an ISO 4217 code like USD')
  })

  it('turns booleans into eSputnik’s 0/1', () => {
    const { events } = parseBatch(batch([event('productViewed', { productId: 'a', price: 1, isInStock: true }), event('searchRequest', { search: 'x', isFound: false })]))
    expect(events.map((e) => e.data)).toEqual([{ productId: 'a', price: 1, isInStock: 1 }, { search: 'x', isFound: 0 }])
  })

  it.each([
    ['/p/1', 'https://shop.example.com', 'https://shop.example.com/p/1'],
    ['/p/1?q=2#top', 'https://shop.example.com/catalog/mugs', 'https://shop.example.com/p/1?q=2#top'],
    ['p/2', 'https://shop.example.com/catalog/mugs', 'https://shop.example.com/catalog/p/2'],
    ['https://shop.example.com/x', undefined, 'https://shop.example.com/x'],
    ['https://example.com', 'https://shop.example.com', 'https://example.com'],
  ])('resolves the pageViewed url %s against %s', (url, base, resolved) => {
    const { events, rejected } = parseBatch(batch([event('pageViewed', {}, { url })]), { base })
    expect(rejected).toEqual([])
    expect(events[0]!.url).toBe(resolved)
  })

  it.each<[string | undefined, string | undefined, RegExp]>([
    ['/p/1', undefined, /pageViewed: url "\/p\/1" is relative, and the request has no Origin or Referer/],
    ['/p/1', 'null', /is relative/],
    [undefined, 'https://shop.example.com', /pageViewed: url is required/],
    ['javascript:alert(1)', 'https://shop.example.com', /url must be an http or https address/],
  ])('rejects the pageViewed url %j (base %j) with a reason', (url, base, reason) => {
    const bad = event('pageViewed', {}, { url })
    const { events, rejected } = parseBatch(batch([bad, event('searchRequest', { search: 'mug' })]), { base })
    expect(events.map((e) => e.type)).toEqual(['searchRequest'])
    expect(rejected).toEqual([{ id: bad.id, reason: expect.stringMatching(reason) }])
  })

  it('leaves the url of other events as sent', () => {
    const { events } = parseBatch(batch([event('searchRequest', { search: 'mug' }, { url: '/relative' })]))
    expect(events[0]!.url).toBe('/relative')
  })

  it('rejects each malformed event with its reason and accepts the rest', () => {
    const good = event('searchRequest', { search: 'mug' })
    const list = [
      good,
      { ...event('productViewed', { price: 1 }), id: 'no-product-id-1' },
      { id: 'x', type: 'pageViewed', ts: TS, url: 'https://a.b/' },
      { ...good },
      'not an event',
      { ...event('pageViewed', {}), id: 'bad-time-0001', ts: -5 },
      { ...event('purchase', {}), id: 'unknown-type-1' },
    ]
    const { events, rejected } = parseBatch(batch(list))
    expect(events.map((e) => e.id)).toEqual([good.id])
    expect(rejected).toEqual([
      { id: 'no-product-id-1', reason: 'productViewed: productId must be a string of 1 to 200 characters' },
      { id: '', reason: 'id must be an id of 8 to 64 letters, digits, - or _' },
      { id: good.id, reason: 'id repeats an earlier event of this batch' },
      { id: '', reason: 'event must be an object' },
      { id: 'bad-time-0001', reason: 'ts must be a time in milliseconds' },
      { id: 'unknown-type-1', reason: 'type must be one of the seven eSputnik web events or a custom event type listed in CUSTOM_EVENT_TYPES; purchase is not listed' },
    ])
  })
})
