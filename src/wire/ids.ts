/**
 * Event, request and visitor ids: a UUID (`crypto.randomUUID()` in secure
 * contexts), the SDK's fallback (`Date.now().toString(36)` plus
 * `Math.random().toString(36).slice(2)`, about 19 of [0-9a-z]), or any opaque
 * token of the same alphabet (an existing `sc` cookie).
 */
const ID = /^[\w-]{8,64}$/

export const isId = (v: unknown): v is string => typeof v == 'string' && ID.test(v)

/** Milliseconds since the epoch, as the browser's `Date.now()` gives them. */
export const isTime = (v: unknown): v is number => typeof v == 'number' && Number.isSafeInteger(v) && v > 0

export const ID_RULE = 'an id of 8 to 64 letters, digits, - or _'
