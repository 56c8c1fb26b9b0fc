import type { GenerateEventBody } from '../../../src/relay/esputnik/event-v2.js'
import type { EventDataMap, EventType } from '../../../src/wire/types.js'

/**
 * eSputnik's Generate event v2 examples of the seven web events (its page
 * "site activity tracking using Generate event",
 * https://yespo.io/support/site-activity-tracking-using-generate-events;
 * docs/esputnik-api.md, "The seven web events"), each with the wire event
 * that should produce it. The page prints nested values as unescaped JSON
 * inside quotes; here they are the JSON text those examples mean, and its
 * placeholders (`Phone`, `string`) are filled with concrete values.
 */

export const EMAIL = 'example@email.com'
export const PHONE = '380501234567'
const PRODUCT = { productId: 'WS01-L-Green', price: 45.5, isInStock: 1 as const }

interface Example<T extends EventType = EventType> {
  type: T
  url?: string
  data: EventDataMap[T]
  /** Which locators the visitor is linked with, as in eSputnik's example. */
  locators: { email?: string; phone?: string }
  body: GenerateEventBody
}

const both = { phone: PHONE, email: EMAIL }
const phoneOnly = { phone: PHONE }
const locatorParams = (l: { email?: string; phone?: string }) => [
  ...(l.phone ? [{ name: 'phone', value: l.phone }] : []),
  ...(l.email ? [{ name: 'email', value: l.email }] : []),
]

const example = <T extends EventType>(
  type: T,
  data: EventDataMap[T],
  locators: Example['locators'],
  params: GenerateEventBody['params'],
  url?: string,
): Example => ({
  type,
  data,
  url,
  locators,
  body: { eventTypeKey: type, keyValue: locators.email ?? locators.phone!, params: [...locatorParams(locators), ...params] },
})

export const WEB_EVENT_EXAMPLES: Example[] = [
  example('pageViewed', {}, both, [{ name: 'page', value: '{"location":"https://example.com"}' }], 'https://example.com'),
  example('productViewed', { ...PRODUCT, currencyCode: 'USD', properties: { someProductProperty: ['green'] } }, both, [
    { name: 'product', value: '{"productId":"WS01-L-Green","price":45.5,"isInStock":1,"someProductProperty":["green"]}' },
    { name: 'currencyCode', value: 'USD' },
  ]),
  example('productCategoryViewed', { productCategoryId: 'Mugs' }, both, [
    { name: 'category', value: '{"productCategoryId":"Mugs"}' },
  ]),
  example(
    'cartUpdated',
    {
      products: [{ productId: 'WS01-L-Green', quantity: 1, price: 45.5 }],
      currencyCode: 'USD',
      recycleStateId: 'd59c6e6d-4123-4b0e-8c32-15f0656a8c60',
    },
    both,
    [
      { name: 'products', value: '[{"productId":"WS01-L-Green","quantity":1,"price":45.5}]' },
      { name: 'currencyCode', value: 'USD' },
      { name: 'recycleStateId', value: 'd59c6e6d-4123-4b0e-8c32-15f0656a8c60' },
    ],
  ),
  example('productImpressions', { recomVariantId: 'r12v3', products: [{ productId: 'WS01-L-Green' }] }, phoneOnly, [
    { name: 'recomVariantId', value: 'r12v3' },
    { name: 'products', value: '[{"productId":"WS01-L-Green"}]' },
  ]),
  example('productAddedToWishlist', { ...PRODUCT, currencyCode: 'USD' }, phoneOnly, [
    { name: 'product', value: '{"productId":"WS01-L-Green","price":45.5,"isInStock":1}' },
    { name: 'currencyCode', value: 'USD' },
  ]),
  example('searchRequest', { search: 'green mug', isFound: 0 }, phoneOnly, [
    { name: 'search', value: 'green mug' },
    { name: 'isFound', value: '0' },
  ]),
]
