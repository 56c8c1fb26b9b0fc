/**
 * The SDK → relay wire format, version 1. Written down once here and shared by
 * both halves; docs/relay.md ("Endpoints") describes each request in prose.
 * The SDK sends what the site passed without checking it: the relay checks
 * and normalises every field (src/wire/schema.ts, src/wire/requests.ts).
 */

export const WIRE_VERSION = 1

/** The seven eSputnik web events of Generate event v2 (docs/esputnik-api.md, "The seven web events"). */
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

/** Extra product properties, sent as fields of eSputnik's `product` param; flat values only. */
export type ProductProperties = Record<string, string | number | boolean | string[]>

/** A product event's `data` after the relay's check. */
export interface ProductData {
  productId: string
  price: number
  /** 1 in stock, 0 not; eSputnik takes an int (the SDK may send a boolean, which the relay converts). */
  isInStock?: 0 | 1
  currencyCode?: string
  properties?: ProductProperties
}

/** One line of the cart in `cartUpdated`. */
export interface CartProduct {
  /** Your product id, as in the product feed. */
  productId: string
  /** How many of it are in the cart. */
  quantity: number
  /** The price of one. */
  price: number
  /** The product's name, as the cart shows it. */
  name?: string
  /** The product's category. */
  category?: string
  /** The discount on this line, as text (e.g. `10%`). */
  discount?: string
}

/**
 * The `data` of each event type as the relay's check (src/wire/schema.ts)
 * leaves it: the SDK sends the site's input unchecked, and the relay turns
 * booleans into 0/1 and adds the batch's currency.
 */
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

/**
 * A custom event's params as the relay's check leaves them (src/wire/custom-events.ts):
 * a flat object; a number or boolean travels as text, an object or list as JSON text.
 */
export type CustomParams = Record<string, string | number | boolean | object>

/** An event of any other type than the seven: `type` is the eventTypeKey. */
export interface CustomWireEvent {
  id: string
  type: string
  ts: number
  url?: string
  data: CustomParams
}

/** Any event the relay stores and forwards: one of the seven web events, or a custom event. */
export type AnyWireEvent = WireEvent | CustomWireEvent

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

/** The contact of a subscribe (docs/esputnik-api.md, "Subscribe contact"). */
export interface SubscribeContact {
  /** The contact's email; the relay trims and lower-cases it. */
  email?: string
  /** The contact's phone in international form (`+380 50 123 45 67`); the relay keeps its digits. */
  phone?: string
  /** The contact's first name. */
  firstName?: string
  /** The contact's last name. */
  lastName?: string
  /** Your own customer id for the contact (eSputnik's externalCustomerId). */
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
  /** eSputnik group names the contact is added to, e.g. `['newsletter']`. */
  groups?: string[]
  /** Which form it came from, appended to eSputnik's subscribeFromApi event name, e.g. `footer`. */
  formType?: string
}

/** `POST {endpoint}/v1/identify` */
export interface IdentifyRequest {
  v: typeof WIRE_VERSION
  id: string
  visitor: string
  ts: number
  /** Your own customer id of the logged-in visitor; signed when present. */
  externalCustomerId?: string
  /** The logged-in visitor's email; signed when there is no externalCustomerId. */
  email?: string
  /** The visitor's phone, linked too (not signed). */
  phone?: string
  /** Hex HMAC-SHA256(IDENTIFY_SECRET, externalCustomerId ?? email), computed by the site's backend. */
  signature: string
}

/** The relay's answer to a batch: 202 once the accepted events are committed. */
export interface BatchResponse {
  accepted: number
  rejected: { id: string; reason: string }[]
}

/** `POST {endpoint}/v1/telegram/link` from the SDK; answered 200 {@link TelegramLinkResponse}. */
export interface TelegramLinkRequest {
  v: typeof WIRE_VERSION
  visitor: string
}

/** A link that opens the shop's bot with a one-time code: `https://t.me/<bot>?start=<code>`. */
export interface TelegramLinkResponse {
  url: string
}

/** Paths on the relay; they avoid words ad-block lists match (track, collect, beacon, event), except where no browser calls. */
export const PATHS = {
  events: '/v1/e',
  subscribe: '/v1/subscribe',
  identify: '/v1/identify',
  serverIdentify: '/v1/server/identify',
  serverErase: '/v1/server/erase',
  telegramLink: '/v1/telegram/link',
  telegramWebhook: '/v1/telegram/webhook',
  serverTelegramLink: '/v1/server/telegram-link',
  serverTelegramTokens: '/v1/server/telegram-tokens',
  serverOrders: '/v1/server/orders',
  serverEvents: '/v1/server/events',
} as const
