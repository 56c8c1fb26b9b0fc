/**
 * esputnik-tracker for bundlers. Importing it has no side effects, and
 * without a browser (SSR) the tracker it gives does nothing.
 */
import Cookies from 'js-cookie'
import { createInertTracker } from './inert.js'
import { resolveOptions, type TrackerOptions } from './options.js'
import { isBrowser } from './page.js'
import { createBrowserTracker } from './tracker.js'
import type { Tracker } from './types.js'

/**
 * Creates the page's tracker: create it once, at module scope. A second call
 * for the same endpoint returns the first tracker (its options stay), so a
 * component that runs twice never doubles the page views. Throws only when
 * `endpoint` is missing (misuse fails fast, once); under Node (SSR) it returns
 * a tracker that does nothing.
 * @example
 * const tracker = createTracker({ endpoint: 'https://shop.example.com/es' })
 * tracker.productViewed({ productId: 'WS01', price: 45.5 })
 */
export function createTracker(options: TrackerOptions): Tracker {
  resolveOptions(options)
  return isBrowser() ? createBrowserTracker(options, Cookies) : createInertTracker()
}

export type {
  Tracker,
  TrackerError,
  TrackerMethod,
  HelperInputs,
  PageViewInput,
  ProductInput,
  CategoryInput,
  CartInput,
  ImpressionsInput,
  SearchInput,
  SubscribeInput,
  IdentifyInput,
  TrackParams,
  PurchaseInput,
  OrderItem,
} from './types.js'
export { DEFAULTS, type TrackerOptions, type Consent } from './options.js'
export type { CartProduct, EventType, ProductProperties, WireEvent, EventBatch } from '../wire/types.js'
export { EVENT_TYPES } from '../wire/types.js'
