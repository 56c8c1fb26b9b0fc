import { EVENT_TYPES } from '../wire/types.js'
import type { Tracker } from './types.js'

/** What createTracker gives where there is no browser (SSR): a tracker that does nothing and throws nothing. */
export function createInertTracker(): Tracker {
  const none = () => ''
  const inert: Record<string, unknown> = {
    visitorId: '',
    cart: Object.freeze({ id: '', reset: none }),
    flush: () => Promise.resolve(),
    telegramLink: () => Promise.resolve(''),
    reset: none,
  }
  for (const name of [...EVENT_TYPES, 'track', 'purchased', 'subscribe', 'identify', 'optIn', 'optOut']) inert[name] = none
  return Object.freeze(inert) as unknown as Tracker
}
