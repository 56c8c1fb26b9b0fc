/**
 * esputnik-tracker for bundlers. Importing it has no side effects, and
 * without a browser (SSR) the tracker it gives does nothing.
 */
import { createInertTracker } from './inert.js'
import { resolveOptions, type TrackerOptions } from './options.js'
import { isBrowser } from './page.js'
import { createBrowserTracker, type Tracker } from './tracker.js'

/** A frozen tracker; throws only when `endpoint` is missing (misuse fails fast, once). */
export function createTracker(options: TrackerOptions): Tracker {
  resolveOptions(options)
  return isBrowser() ? createBrowserTracker(options) : createInertTracker()
}

export type { Tracker, SubscribeInput, IdentifyInput } from './tracker.js'
export { DEFAULTS, type TrackerOptions, type TrackerError, type Consent } from './options.js'
export type { HelperInputs, ProductInput } from './events.js'
export type { CartProduct, EventType, ProductProperties, WireEvent, EventBatch } from '../wire/types.js'
export { EVENT_TYPES } from '../wire/types.js'
