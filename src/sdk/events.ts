import type { CartProduct, EventDataMap, EventType, ProductProperties, WireEvent } from '../wire/types.js'

/** What the site passes to each helper. `isInStock`/`isFound` take booleans or eSputnik's 0/1. */
export interface ProductInput {
  productId: string
  price: number
  isInStock?: boolean | 0 | 1
  currencyCode?: string
  properties?: ProductProperties
}

export interface HelperInputs {
  pageViewed: { url?: string }
  productViewed: ProductInput
  productCategoryViewed: { productCategoryId: string }
  cartUpdated: { products: CartProduct[]; currencyCode?: string }
  productAddedToWishlist: ProductInput
  productImpressions: { recomVariantId: string; products: { productId: string }[] }
  searchRequest: { search: string; isFound?: boolean | 0 | 1 }
}

/** What the tracker knows at the moment of a call. */
export interface EventContext {
  id: string
  ts: number
  url: string
  currencyCode?: string
  /** The cart's recycleStateId, for cartUpdated. */
  cartId?: string
}

/**
 * Turns a helper's input into a wire event. Pure: everything impure comes in
 * through `context`. It checks nothing: the relay checks every event against
 * the full schema (src/wire/schema.ts) and its reasons come back through
 * `onError`, so the rules live in one place and stay out of the bundle that
 * ships to every visitor.
 */
export function buildEvent<T extends EventType>(type: T, input: HelperInputs[T], context: EventContext): WireEvent<T> {
  const { url, ...data }: Record<string, any> = { ...input, recycleStateId: context.cartId }
  // Only product and cart events take a currency; the relay drops it elsewhere.
  if ('price' in data || type == 'cartUpdated') data.currencyCode ??= context.currencyCode
  // A relative url from an SPA is made absolute, as eSputnik's page.location is.
  return { id: context.id, type, ts: context.ts, url: url ? new URL(url, context.url).href : context.url, data: data as EventDataMap[T] }
}
