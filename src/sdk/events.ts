import type { CartProduct, EventDataMap, EventType, ProductProperties, WireEvent } from '../wire/types.js'
import { checkRequired } from './validate.js'

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
  cartId: string
}

const PRICED: EventType[] = ['productViewed', 'cartUpdated', 'productAddedToWishlist']

/**
 * Turns a helper's input into a wire event, or throws an Error that names
 * the field. Pure: everything impure comes in through `context`.
 */
export function buildEvent<T extends EventType>(type: T, input: HelperInputs[T], context: EventContext): WireEvent<T> {
  const raw: Record<string, unknown> = { ...input }
  if (PRICED.includes(type) && context.currencyCode) raw.currencyCode ??= context.currencyCode
  for (const flag of ['isInStock', 'isFound']) if (typeof raw[flag] == 'boolean') raw[flag] = +raw[flag]
  if (type == 'cartUpdated') raw.recycleStateId = context.cartId
  // A relative url from an SPA is made absolute, as eSputnik's page.location is.
  const url = type == 'pageViewed' && typeof raw.url == 'string' ? new URL(raw.url, context.url).href : context.url
  checkRequired(type, raw)
  if (type == 'pageViewed') delete raw.url
  return { id: context.id, type, ts: context.ts, url, data: raw as EventDataMap[T] }
}
