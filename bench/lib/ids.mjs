// Event ids unique to one run, that also name the run: `<run>-<n in base 36>`,
// within the relay's id rule ([\w-]{8,64}). The run tag is how an upstream
// call is matched back to its event (the Generate event body carries no id).
import { randomBytes } from 'node:crypto'

export function idMaker(prefix = 'b') {
  const run = `${prefix}${randomBytes(4).toString('hex')}`
  let n = 0
  let v = 0
  // Not inside a longer token: a visitor id (`v<run>-…`) carries the run tag too.
  const pattern = new RegExp(`(?<![\\w-])${run}-[0-9a-z]+`, 'g')
  return {
    run,
    next: () => `${run}-${(n++).toString(36).padStart(6, '0')}`,
    /** A new visitor: the relay holds at most HELD_EVENTS_MAX_PER_VISITOR (1,000) events per visitor, so load spreads over many. */
    visitor: () => `v${run}-${(v++).toString(36).padStart(6, '0')}`,
    get count() {
      return n
    },
    /** The ids of this run found anywhere in a value (a recorded upstream body). */
    find: (value) => JSON.stringify(value).match(pattern) ?? [],
  }
}

const TYPES = [
  (id) => ({ type: 'productViewed', data: { productId: 'WS01-L-Green', price: 45.5, isInStock: true, properties: { ref: id } } }),
  (id) => ({ type: 'productCategoryViewed', data: { productCategoryId: id } }),
  (id) => ({ type: 'searchRequest', data: { search: id, isFound: 1 } }),
  (id) => ({
    type: 'cartUpdated',
    data: { products: [{ productId: id, quantity: 2, price: 45.5, name: 'Mug', category: 'mugs' }], recycleStateId: 'cart-bench-0001' },
  }),
  (id) => ({ type: 'pageViewed', url: `https://shop.example.com/p/${id}`, data: {} }),
]

/**
 * A wire event as the SDK sends it, of a type chosen by `n`, carrying its
 * own id in its data so the upstream call names it.
 */
export function wireEvent(id, n = 0, ts = Date.now()) {
  const { type, data, url = 'https://shop.example.com/p/WS01' } = TYPES[n % TYPES.length](id)
  return { id, type, ts, url, data }
}

/** A `POST /v1/e` body. */
export function batchBody(visitor, events) {
  return JSON.stringify({ v: 1, visitor, currencyCode: 'USD', events })
}
