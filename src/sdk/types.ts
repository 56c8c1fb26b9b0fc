/**
 * The SDK's public types: what each helper takes, what `onError` receives and
 * the tracker itself. The wire format they turn into is src/wire/types.ts.
 */
import type { OrderLine } from '../wire/orders.js'
import type { CartProduct, EventType, IdentifyRequest, ProductProperties, SubscribeRequest } from '../wire/types.js'

/** `pageViewed`'s input. */
export interface PageViewInput {
  /**
   * The page's address. A path (`/p/1`) is resolved by the relay against the
   * page's origin.
   * @defaultValue `location.href`
   */
  url?: string
}

/** `productViewed`'s and `productAddedToWishlist`'s input. */
export interface ProductInput {
  /** Your product id, as in the product feed eSputnik knows (e.g. `WS01`). */
  productId: string
  /** The price the visitor sees, in `currencyCode`. */
  price: number
  /** Whether it can be bought now: `true`/`false`, or eSputnik's own `1`/`0`. */
  isInStock?: boolean | 0 | 1
  /**
   * ISO 4217 currency of `price`, e.g. `UAH`.
   * @defaultValue the tracker's `currencyCode` option
   */
  currencyCode?: string
  /** Extra product properties eSputnik shows with the event (flat values only). */
  properties?: ProductProperties
}

/** `productCategoryViewed`'s input. */
export interface CategoryInput {
  /** Your category id, as in the product feed. */
  productCategoryId: string
}

/** `cartUpdated`'s input: the whole cart after the change, not the change. */
export interface CartInput {
  /** Every line now in the cart; an empty list for an emptied cart. */
  products: CartProduct[]
  /**
   * ISO 4217 currency of the prices.
   * @defaultValue the tracker's `currencyCode` option
   */
  currencyCode?: string
}

/** `productImpressions`' input: which recommended products the visitor was shown. */
export interface ImpressionsInput {
  /** The recommendation block's variant, `r{recomId}v{variantId}` (e.g. `r12v3`). */
  recomVariantId: string
  /** The products shown, in the order shown. */
  products: { /** Your product id. */ productId: string }[]
}

/** `searchRequest`'s input. */
export interface SearchInput {
  /** What the visitor searched for. */
  search: string
  /** Whether the search found anything: `true`/`false`, or `1`/`0`. */
  isFound?: boolean | 0 | 1
}

/** One line of a `purchased` order: the same line the shop's backend sends to `/v1/server/orders`. */
export type OrderItem = OrderLine

/** `purchased`'s input: the order the thank-you page shows. */
export interface PurchaseInput {
  /** Your order id; the relay keeps one event per order id, so a reloaded thank-you page sends no second order. */
  orderId: string
  /** What the visitor paid for the order, in `currencyCode`. */
  totalCost: number
  /** Every line of the order. */
  items: OrderItem[]
  /**
   * ISO 4217 currency of the order, e.g. `UAH`.
   * @defaultValue the tracker's `currencyCode` option
   */
  currencyCode?: string
}

/**
 * `track`'s params: a flat object of names and values. A number or boolean
 * reaches eSputnik as text, an object or a list as JSON text.
 */
export type TrackParams = Record<string, string | number | boolean | object>

/** The input of each event helper, by event type. */
export interface HelperInputs {
  pageViewed: PageViewInput
  productViewed: ProductInput
  productCategoryViewed: CategoryInput
  cartUpdated: CartInput
  productAddedToWishlist: ProductInput
  productImpressions: ImpressionsInput
  searchRequest: SearchInput
}

type Envelope = 'v' | 'id' | 'visitor' | 'ts'

/**
 * `subscribe`'s input: an email or a phone (or both), plus what else you know
 * of the contact.
 */
export type SubscribeInput = Omit<SubscribeRequest, Envelope | 'email' | 'phone'> &
  (
    | (Required<Pick<SubscribeRequest, 'email'>> & Pick<SubscribeRequest, 'phone'>)
    | (Required<Pick<SubscribeRequest, 'phone'>> & Pick<SubscribeRequest, 'email'>)
  )

/**
 * `identify`'s input: an externalCustomerId or an email (the one your backend
 * signed), and the signature.
 */
export type IdentifyInput = Pick<IdentifyRequest, 'signature' | 'phone'> &
  (
    | (Required<Pick<IdentifyRequest, 'externalCustomerId'>> & Pick<IdentifyRequest, 'email'>)
    | (Required<Pick<IdentifyRequest, 'email'>> & Pick<IdentifyRequest, 'externalCustomerId'>)
  )

/** The helpers whose calls can fail, as `onError` names them. */
export type TrackerMethod = EventType | 'track' | 'purchased' | 'subscribe' | 'identify' | 'telegramLink'

/**
 * What `onError` receives. Two kinds:
 *
 * - **A refused call or event** (`method` is the helper's name): the relay
 *   refused the event or request `id` (it names the field and what it should
 *   be, e.g. `productViewed: productId must be a string`, or the refusal of the
 *   whole request, e.g. `HTTP 400: …`), or the call itself failed (an input that
 *   cannot be turned into JSON; then there is no `id`, the helper returned `''`).
 *   One call per refused event. The event is not sent again.
 * - **A delivery that keeps failing** (`method` is `send`): a request has
 *   failed three times in a row, counted across page loads, with `reason`
 *   `network error` (offline, the relay unreachable, or a relay whose
 *   `ALLOWED_ORIGINS` does not list this page's origin: the browser does not
 *   tell which, only its console says "CORS") or `HTTP <status>` (408, 429,
 *   5xx). `ids` are the events (or the subscribe or identify) it carries. The
 *   SDK keeps it and goes on retrying with backoff. Said once per page load
 *   (a later page says it at its first failed try), and again on the same
 *   page only after a delivery has gone through.
 */
export interface TrackerError {
  /** The helper whose call or event was refused, or `send` for a delivery that keeps failing. */
  method: TrackerMethod | 'send'
  /** Why, in a sentence, e.g. `productViewed: price must be a number`, `HTTP 413`, `network error`. */
  reason: string
  /** The id the helper returned, for a refused event, subscribe or identify (`telegramLink` has none). */
  id?: string
  /** For `send`: the ids of everything the failing request carries. */
  ids?: string[]
}

/**
 * The tracker. Every helper returns at once with the id of what it queued
 * (the relay dedups on it), or `''` when consent is denied or the call failed;
 * it never throws into the page.
 */
export interface Tracker {
  /**
   * A page view (eSputnik's `pageViewed`). Sent by itself on load and on each
   * SPA route change unless `autoPageViews` is false.
   * @example tracker.pageViewed()
   */
  pageViewed(input?: PageViewInput): string
  /**
   * The visitor opened a product page (`productViewed`).
   * @example tracker.productViewed({ productId: 'WS01', price: 45.5, isInStock: true })
   */
  productViewed(input: ProductInput): string
  /**
   * The visitor opened a category page (`productCategoryViewed`).
   * @example tracker.productCategoryViewed({ productCategoryId: 'mugs' })
   */
  productCategoryViewed(input: CategoryInput): string
  /**
   * The cart changed: pass the whole cart (`cartUpdated`). The tracker adds
   * the cart's `recycleStateId` (see `cart`); an abandoned-cart workflow keys on it.
   * @example tracker.cartUpdated({ products: [{ productId: 'WS01', quantity: 2, price: 45.5 }] })
   */
  cartUpdated(input: CartInput): string
  /**
   * The visitor added a product to the wishlist (`productAddedToWishlist`).
   * @example tracker.productAddedToWishlist({ productId: 'WS01', price: 45.5 })
   */
  productAddedToWishlist(input: ProductInput): string
  /**
   * A block of eSputnik recommendations was shown (`productImpressions`).
   * @example tracker.productImpressions({ recomVariantId: 'r12v3', products: [{ productId: 'WS03' }] })
   */
  productImpressions(input: ImpressionsInput): string
  /**
   * The visitor searched (`searchRequest`).
   * @example tracker.searchRequest({ search: 'green mug', isFound: true })
   */
  searchRequest(input: SearchInput): string
  /**
   * A custom event, for an eSputnik workflow built on your own event type
   * (a quiz answered, a back-in-stock request). eSputnik creates the type on
   * its first event. The relay takes only the types listed in its
   * `CUSTOM_EVENT_TYPES` from a page. It refuses other types, a key over 100
   * characters or with a character eSputnik forbids, eSputnik's own names
   * (`orderCreated`…) and params named like a contact's identifiers
   * (`email`, `phone`…); the reason reaches `onError` as method `track`.
   * @example tracker.track('quizCompleted', { quizId: 'q7', score: 8, answers: ['a', 'c'] })
   */
  track(eventTypeKey: string, params?: TrackParams): string
  /**
   * The visitor placed an order: call it on the thank-you page. Sends
   * eSputnik's `orderCreated` with the cart's `recycleStateId`, which tells
   * the abandoned-cart workflows that the cart was bought, then starts a new
   * cart (as `cart.reset()` does). The relay sends it only once the visitor is
   * linked to a contact, and a reload of the page with the same `orderId` is
   * one order. The order your shop's backend sends to the relay is the one to
   * trust; a shop that sends both gets no double orders.
   * @example tracker.purchased({ orderId: 'o-1001', totalCost: 91, items: [{ productId: 'WS01', quantity: 2, price: 45.5 }] })
   */
  purchased(input: PurchaseInput): string
  /**
   * A link that opens the shop's Telegram bot with a one-time code for this
   * visitor (`https://t.me/<bot>?start=<code>`), so the chat reaches the
   * visitor's contact in eSputnik. Resolves `''` when no link could be had,
   * after telling `onError` why (method `telegramLink`), or without consent;
   * it never rejects. Fetch it before the visitor taps (on load, or when the
   * button appears) and put it on an `<a href>`: browsers block a
   * `window.open` made after an await. The code expires (the relay's
   * `TELEGRAM_LINK_TTL_MINUTES`) and works once.
   * @example link.href = await tracker.telegramLink()
   */
  telegramLink(): Promise<string>
  /**
   * Subscribes the visitor as a contact (eSputnik's Subscribe contact, through
   * the relay); the relay then joins this visitor's earlier events to the
   * contact. Needs an email or a phone.
   * @example tracker.subscribe({ email: 'ann@example.com', firstName: 'Ann', formType: 'footer' })
   */
  subscribe(input: SubscribeInput): string
  /**
   * Links a logged-in visitor to a contact without subscribing. `signature`
   * is HMAC-SHA256 of the externalCustomerId (else the email) with the relay's
   * IDENTIFY_SECRET, computed by your backend, never in the page.
   * @example tracker.identify({ externalCustomerId: 'c-42', signature })
   */
  identify(input: IdentifyInput): string
  /** The anonymous visitor id kept in the first-party cookie (`''` without consent). */
  readonly visitorId: string
  /**
   * The cart's recycleStateId, kept across page loads; `reset()` starts a new
   * cart and returns its id (`purchased` does it for you).
   */
  readonly cart: { readonly id: string; reset(): string }
  /** Sends what is queued now; resolves when the relay has answered, or the send failed and waits for a retry. */
  flush(): Promise<void>
  /** A new visitor id, e.g. on logout; what came before stays with the old one. */
  reset(): string
  /** The visitor agreed: tracking starts (or resumes). Remembered in localStorage across page loads. */
  optIn(): void
  /**
   * The visitor declined: forgets the visitor id, the cart and everything not
   * yet sent, and sends nothing more. Remembered in localStorage across page
   * loads, so it wins over `consent: 'granted'` until `optIn()`.
   */
  optOut(): void
}
