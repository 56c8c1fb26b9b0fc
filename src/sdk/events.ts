import type { EventDataMap, EventType, WireEvent } from '../wire/types.js'
import type { HelperInputs } from './types.js'

/**
 * Turns a helper's input into a wire event: `event` carries what the tracker
 * knows at the moment of the call (id, type, time, page), `cartId` the cart's
 * recycleStateId for cartUpdated. Pure: everything impure comes in as
 * arguments. It checks and converts nothing: the relay checks every event
 * against the full schema (src/wire/schema.ts), turns `isInStock` and
 * `isFound` booleans into 0/1, resolves a relative `pageViewed` url against
 * the page's origin and applies the batch's currency; its reasons come back
 * through `onError`. The rules live in one place and stay out of the bundle
 * that ships to every visitor.
 */
export function buildEvent<T extends EventType>(
  input: HelperInputs[T],
  event: Omit<WireEvent<T>, 'data'>,
  cartId?: string,
): WireEvent<T> {
  // A pageViewed's own url replaces the page's; it is no part of `data`.
  const { url = event.url, ...data }: Record<string, any> = { ...input, recycleStateId: cartId }
  return { ...event, url, data: data as EventDataMap[T] }
}
