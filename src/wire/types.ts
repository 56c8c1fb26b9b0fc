/**
 * The SDK → relay wire format, version 1. Written down once here and shared by
 * both halves; ARCHITECTURE.md ("SDK → relay wire format") describes it in prose.
 */

export const WIRE_VERSION = 1

/** The seven eSputnik web events of Generate event v2 (seed 003). */
export const EVENT_TYPES = [
  'pageViewed',
  'productViewed',
  'productCategoryViewed',
  'cartUpdated',
  'productAddedToWishlist',
  'productImpressions',
  'searchRequest',
] as const

export type EventType = (typeof EVENT_TYPES)[number]

/** Extra product properties, sent as `someProductProperty` fields of `product`. */
export type ProductProperties = Record<string, string | number | boolean | string[]>

export interface ProductData {
  productId: string
  price: number
  /** 1 in stock, 0 not; eSputnik takes an int. */
  isInStock?: 0 | 1
  currencyCode?: string
  properties?: ProductProperties
}

export interface CartProduct {
  productId: string
  quantity: number
  price: number
  name?: string
  category?: string
  discount?: string
}

/** The `data` of each event type, after the SDK has built and checked it. */
export interface EventDataMap {
  pageViewed: Record<string, never>
  productViewed: ProductData
  productCategoryViewed: { productCategoryId: string }
  cartUpdated: { products: CartProduct[]; currencyCode?: string; recycleStateId: string }
  productAddedToWishlist: ProductData
  productImpressions: { recomVariantId: string; products: { productId: string }[] }
  searchRequest: { search: string; isFound?: 0 | 1 }
}

export interface WireEvent<T extends EventType = EventType> {
  /** UUID given when the event is created; the relay dedups on it. */
  id: string
  type: T
  /** Milliseconds since the epoch when the event happened in the browser. */
  ts: number
  /**
   * The page the event happened on. A pageViewed's may be relative (`/p/1`):
   * the relay resolves it against the request's Origin, else its Referer.
   */
  url?: string
  data: EventDataMap[T]
}

/** `POST {endpoint}/v1/e` */
export interface EventBatch {
  v: typeof WIRE_VERSION
  visitor: string
  /** When the browser sent the batch (optional; the SDK no longer sends it). */
  sent?: number
  /**
   * The site's default currency (ISO 4217). The relay puts it on the events
   * that take one (productViewed, productAddedToWishlist, cartUpdated) and have none.
   */
  currencyCode?: string
  events: WireEvent[]
}

export interface SubscribeContact {
  email?: string
  phone?: string
  firstName?: string
  lastName?: string
  externalCustomerId?: string
  /** Contact fields as eSputnik's Subscribe contact takes them: field id and value. */
  fields?: { id: string | number; value: string }[]
}

/** `POST {endpoint}/v1/subscribe` */
export interface SubscribeRequest extends SubscribeContact {
  v: typeof WIRE_VERSION
  id: string
  visitor: string
  ts: number
  /** eSputnik group names the contact is added to. */
  groups?: string[]
  /** Appended to the subscribeFromApi event name, e.g. `footer`. */
  formType?: string
}

/** `POST {endpoint}/v1/identify` */
export interface IdentifyRequest {
  v: typeof WIRE_VERSION
  id: string
  visitor: string
  ts: number
  externalCustomerId?: string
  email?: string
  phone?: string
  /** Hex HMAC-SHA256(IDENTIFY_SECRET, externalCustomerId ?? email), computed by the site's backend. */
  signature: string
}

/** The relay's answer to a batch: 202 once the accepted events are committed. */
export interface BatchResponse {
  accepted: number
  rejected: { id: string; reason: string }[]
}

/** `POST {relay}/v1/server/identify` from the site's backend, with `Authorization: Bearer <SERVER_TOKEN>`. */
export interface ServerIdentifyRequest {
  visitorId: string
  externalCustomerId?: string
  email?: string
  phone?: string
}

/** Paths on the relay; they avoid words ad-block lists match (track, collect, beacon, event). */
export const PATHS = {
  events: '/v1/e',
  subscribe: '/v1/subscribe',
  identify: '/v1/identify',
  serverIdentify: '/v1/server/identify',
} as const
