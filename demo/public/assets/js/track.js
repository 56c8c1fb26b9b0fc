// The shop's one doorway to the SDK, as a shop's analytics layer would be.
// Pages with the script tag get `window.esputnik` from the one-line stub (calls
// queue until /sdk.js has loaded); the journal sets it from the npm build.
import { productById } from './catalog.js'
import { cart } from './state.js'

export const track = (method, data) => window.esputnik?.(method, data)

/** A custom event: `esputnik('track', eventTypeKey, params)`; the relay takes the types its CUSTOM_EVENT_TYPES lists. */
export const trackCustom = (eventTypeKey, params) => window.esputnik?.('track', eventTypeKey, params)

/**
 * The tracker object itself, for what has no `esputnik('…')` form
 * (`cart.reset()`, `reset()`), once the SDK has loaded; undefined after
 * `within` ms if it never does (blocked), which must not stop the shop.
 */
export function whenTracker(within = 3000) {
  const until = Date.now() + within
  return new Promise((resolve) => {
    const check = () => {
      const tracker = window.esputnik?.tracker
      if (tracker || Date.now() > until) resolve(tracker)
      else setTimeout(check, 50)
    }
    check()
  })
}

/** eSputnik wants the whole cart on every change (an empty one too), not the line that changed. */
export function trackCart() {
  const products = cart.lines().map(({ id, qty }) => {
    const p = productById(id)
    return { productId: p.id, quantity: qty, price: p.price, name: p.name, category: p.category }
  })
  track('cartUpdated', { products })
}

/**
 * productViewed and productAddedToWishlist share this shape. No currencyCode:
 * the script tag's data-currency-code (the journal's currencyCode option)
 * adds the shop's currency to every product and cart.
 */
export const productData = (p) => ({ productId: p.id, price: p.price, isInStock: p.inStock })
