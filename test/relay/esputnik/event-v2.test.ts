import { describe, expect, it } from 'vitest'
import { MappingError } from '../../../src/relay/esputnik/errors.js'
import { checkEventBody, mapEvent, type GenerateEventBody } from '../../../src/relay/esputnik/event-v2.js'
import type { Locators } from '../../../src/relay/esputnik/locators.js'
import { wireEvent } from '../helpers.js'
import { WEB_EVENT_EXAMPLES } from './event-v2-examples.js'

describe('mapEvent', () => {
  it.each(WEB_EVENT_EXAMPLES)('turns a $type event into the body of eSputnik’s example', (ex) => {
    const event = wireEvent(ex.type, ex.data, { url: ex.url ?? 'https://shop.example.com/p/1' })
    expect(mapEvent(event, ex.locators)).toEqual(ex.body)
  })

  const page = wireEvent('pageViewed', {}, { url: 'https://shop.example.com/' })

  it.each<[string, Locators, string]>([
    ['contactId first', { contactId: '42', externalCustomerId: 'c-1', email: 'a@b.co', phone: '380501234567' }, '42'],
    ['externalCustomerId before email', { externalCustomerId: 'c-1', email: 'a@b.co', phone: '380501234567' }, 'c-1'],
    ['email before phone', { email: 'a@b.co', phone: '380501234567' }, 'a@b.co'],
    ['phone last', { phone: '380501234567' }, '380501234567'],
    ['a blank locator is skipped', { contactId: ' ', email: 'a@b.co' }, 'a@b.co'],
  ])('picks keyValue by eSputnik’s priority: %s', (_name, locators, key) => {
    expect(mapEvent(page, locators).keyValue).toBe(key)
  })

  it('lists every locator as a param, ids first, then phone and email as eSputnik’s examples do', () => {
    const body = mapEvent(page, { email: 'a@b.co', phone: '380501234567', contactId: '42', externalCustomerId: 'c-1' })
    expect(body.params.map((p) => p.name)).toEqual(['contactId', 'externalCustomerId', 'phone', 'email', 'page'])
  })

  it('uses the visitor id as keyValue for anonymous forwarding, with no locator params', () => {
    expect(mapEvent(page, {}, { anonymousKey: 'visitor-1234' })).toEqual({
      eventTypeKey: 'pageViewed',
      keyValue: 'visitor-1234',
      params: [{ name: 'page', value: '{"location":"https://shop.example.com/"}' }],
    })
  })

  it('adds occurredAt, the ISO 8601 time the event happened, to replayed history', () => {
    const event = wireEvent('searchRequest', { search: 'mug' }, { ts: Date.UTC(2024, 10, 23, 16, 39, 59, 123) })
    expect(mapEvent(event, { email: 'a@b.co' }, { occurredAt: true }).params).toEqual([
      { name: 'email', value: 'a@b.co' },
      { name: 'search', value: 'mug' },
      { name: 'occurredAt', value: '2024-11-23T16:39:59.123Z' },
    ])
  })

  it('keeps optional cart fields and drops what the schema does not name', () => {
    const event = wireEvent('cartUpdated', {
      products: [{ productId: 'p', quantity: 2, price: 3, name: 'Mug', category: 'Kitchen', discount: '10%' }],
      recycleStateId: 'cart-1',
    })
    const products = mapEvent(event, { email: 'a@b.co' }).params.find((p) => p.name == 'products')!
    expect(JSON.parse(products.value as string)).toEqual([
      { productId: 'p', quantity: 2, price: 3, name: 'Mug', category: 'Kitchen', discount: '10%' },
    ])
  })

  it('leaves out isFound and currencyCode when the browser did not send them', () => {
    const search = mapEvent(wireEvent('searchRequest', { search: 'mug' }), { email: 'a@b.co' })
    expect(search.params.map((p) => p.name)).toEqual(['email', 'search'])
    const product = mapEvent(wireEvent('productViewed', { productId: 'p', price: 1 }), { email: 'a@b.co' })
    expect(product.params.map((p) => p.name)).toEqual(['email', 'product'])
  })

  it.each<[string, () => GenerateEventBody, RegExp]>([
    ['no locator and no visitor id', () => mapEvent(page, {}), /no contact locator/],
    ['a pageViewed without its url', () => mapEvent(wireEvent('pageViewed', {}, { url: undefined }), { email: 'a@b.co' }), /page url/],
    ['a keyValue over 300 characters', () => mapEvent(page, { externalCustomerId: 'x'.repeat(301) }), /keyValue/],
    [
      'a body over 20 KB',
      () =>
        mapEvent(
          wireEvent('cartUpdated', {
            products: Array.from({ length: 30 }, (_, i) => ({ productId: `p${i}`, quantity: 1, price: 1, name: 'n'.repeat(900) })),
            recycleStateId: 'cart',
          }),
          { email: 'a@b.co' },
        ),
      /bytes; eSputnik takes at most 20480/,
    ],
  ])('refuses %s with a MappingError naming the rule', (_name, build, reason) => {
    expect(build).toThrow(MappingError)
    expect(build).toThrow(reason)
  })
})

describe('checkEventBody', () => {
  const ok: GenerateEventBody = { eventTypeKey: 'pageViewed', keyValue: 'a@b.co', params: [] }

  it.each<[string, GenerateEventBody, RegExp]>([
    ['an eventTypeKey over 100 characters', { ...ok, eventTypeKey: 'e'.repeat(101) }, /eventTypeKey must have 1 to 100/],
    ...[...'<;\'\\/|"^?!,>`'].map((c): [string, GenerateEventBody, RegExp] => [
      `the banned character ${c} in eventTypeKey`,
      { ...ok, eventTypeKey: `page${c}Viewed` },
      /banned character/,
    ]),
    ['an empty keyValue', { ...ok, keyValue: '' }, /keyValue/],
    ['a repeated param name', { ...ok, params: [{ name: 'a', value: '1' }, { name: 'a', value: '2' }] }, /param a appears twice/],
    ['a param name over 100 characters', { ...ok, params: [{ name: 'n'.repeat(101), value: '1' }] }, /param name/],
  ])('refuses %s', (_name, body, reason) => {
    expect(() => checkEventBody(body)).toThrow(reason)
  })

  it('accepts a body at the limits', () => {
    expect(() => checkEventBody({ eventTypeKey: 'e'.repeat(100), keyValue: 'k'.repeat(300), params: [] })).not.toThrow()
  })
})
