/**
 * Compile-time checks of the public types, run by `tsc --noEmit` (npm run
 * typecheck): each `@ts-expect-error` line must fail to compile, or tsc fails.
 * Nothing here runs (vitest only runs *.test.ts).
 */
import { expectTypeOf } from 'vitest'
import { createTracker, type Tracker, type TrackerError } from '../../src/sdk/index.js'

declare const tracker: Tracker
const signature = 'ab'.repeat(32)

// subscribe needs an email or a phone.
tracker.subscribe({ email: 'ann@example.com' })
tracker.subscribe({ phone: '+380501234567', firstName: 'Ann' })
tracker.subscribe({ email: 'ann@example.com', phone: '+380501234567', groups: ['news'], formType: 'footer' })
// @ts-expect-error: neither an email nor a phone
tracker.subscribe({ firstName: 'Ann' })
// @ts-expect-error: an empty subscribe
tracker.subscribe({})
// @ts-expect-error: a misspelt field
tracker.subscribe({ mail: 'ann@example.com' })

// identify needs an externalCustomerId or an email, and the signature.
tracker.identify({ externalCustomerId: 'c-42', signature })
tracker.identify({ email: 'ann@example.com', signature })
// @ts-expect-error: no id to link
tracker.identify({ signature })
// @ts-expect-error: a phone alone is not signed
tracker.identify({ phone: '+380501234567', signature })
// @ts-expect-error: no signature
tracker.identify({ externalCustomerId: 'c-42' })

// The event helpers take their own inputs and return the event id.
expectTypeOf(tracker.productViewed({ productId: 'WS01', price: 45.5, isInStock: true })).toEqualTypeOf<string>()
tracker.pageViewed()
tracker.cartUpdated({ products: [{ productId: 'WS01', quantity: 1, price: 45.5 }], currencyCode: 'UAH' })
tracker.searchRequest({ search: 'mug', isFound: 0 })
// @ts-expect-error: productViewed needs a price
tracker.productViewed({ productId: 'WS01' })
// @ts-expect-error: a cart line needs a quantity
tracker.cartUpdated({ products: [{ productId: 'WS01', price: 45.5 }] })
// @ts-expect-error: isFound takes booleans or 0/1
tracker.searchRequest({ search: 'mug', isFound: 2 })

// track takes any eventTypeKey and flat params; purchased needs the order and its lines.
expectTypeOf(tracker.track('quizCompleted', { score: 8, passed: true, answers: ['a'] })).toEqualTypeOf<string>()
tracker.track('backInStockRequested')
// @ts-expect-error: the eventTypeKey is text
tracker.track(42)
expectTypeOf(tracker.purchased({ orderId: 'o-1', totalCost: 91, items: [{ productId: 'WS01', quantity: 2, price: 45.5 }] })).toEqualTypeOf<string>()
tracker.purchased({ orderId: 'o-1', totalCost: 91, currencyCode: 'UAH', items: [{ productId: 'WS01', quantity: 2, price: 45.5, imageUrl: '/i.png' }] })
// @ts-expect-error: an order needs its lines
tracker.purchased({ orderId: 'o-1', totalCost: 91 })
// @ts-expect-error: a line needs a quantity
tracker.purchased({ orderId: 'o-1', totalCost: 91, items: [{ productId: 'WS01', price: 45.5 }] })
// telegramLink resolves the link (or '').
expectTypeOf(tracker.telegramLink()).toEqualTypeOf<Promise<string>>()

// onError receives a TrackerError that names the helper.
createTracker({
  endpoint: 'https://relay.example.com',
  onError(error) {
    expectTypeOf(error).toEqualTypeOf<TrackerError>()
    expectTypeOf(error.method).toEqualTypeOf<
      | 'pageViewed'
      | 'productViewed'
      | 'productCategoryViewed'
      | 'cartUpdated'
      | 'productAddedToWishlist'
      | 'productImpressions'
      | 'searchRequest'
      | 'track'
      | 'purchased'
      | 'subscribe'
      | 'identify'
      | 'telegramLink'
      | 'send'
    >()
    expectTypeOf(error.id).toEqualTypeOf<string | undefined>()
  },
})
