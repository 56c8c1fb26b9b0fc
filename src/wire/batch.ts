import { checkCustomParams, checkCustomType, type CustomTypes } from './custom-events.js'
import { ID_RULE, isId, isTime } from './ids.js'
import { resolvePageUrl } from './page-url.js'
import { checkEventData, isEventType, isObject, typedCheckOf, ValidationError } from './schema.js'
import { WIRE_VERSION, type AnyWireEvent, type EventType } from './types.js'

export { isId } from './ids.js'

/** At most this many events in one batch; the SDK sends 20. */
export const MAX_BATCH_EVENTS = 50
export const MAX_URL_LENGTH = 2048
export const CURRENCY = /^[A-Z]{3}$/

/** The event types whose data takes a `currencyCode` (docs/esputnik-api.md, "The seven web events"); the batch's default fills it in. */
const TAKES_CURRENCY = new Set<string>(['productViewed', 'productAddedToWishlist', 'cartUpdated', 'orderCreated'])

export interface ParsedBatch {
  visitor: string
  /** When the browser sent the batch, if it said (the SDK no longer does). */
  sent?: number
  /** The site's default currency, already applied to the events that take one and had none. */
  currencyCode?: string
  events: AnyWireEvent[]
  rejected: { id: string; reason: string }[]
}

export interface ParseOptions {
  /**
   * The page address a relative `pageViewed` url is resolved against: the
   * request's Origin, else its Referer. An SPA passes `pageViewed({url: '/p/1'})`.
   */
  base?: string
  /** The custom event types this route takes: `*` every valid one (the shop's backend), or a list (CUSTOM_EVENT_TYPES). @defaultValue none */
  customTypes?: CustomTypes
}

/** How the data of an event of `type` is checked: the seven's schemas, a typed check, or the custom-event rules. */
function dataCheckOf(type: string, options: ParseOptions): (data: unknown) => Record<string, unknown> {
  if (isEventType(type)) return (data) => checkEventData(type, data === undefined ? {} : data) as Record<string, unknown>
  const typed = typedCheckOf(type)
  if (typed) return typed
  checkCustomType(type, options.customTypes ?? [])
  return checkCustomParams
}

/** Checks one event; returns a clean copy or throws a ValidationError with the reason. */
export function parseEvent(raw: unknown, options: ParseOptions = {}): AnyWireEvent {
  if (!isObject(raw)) throw new ValidationError('event must be an object')
  const { id, type, ts, data } = raw
  let url = raw.url
  if (!isId(id)) throw new ValidationError(`id must be ${ID_RULE}`)
  if (typeof type != 'string') throw new ValidationError('type must be one of the seven eSputnik web events or a custom event type')
  const check = dataCheckOf(type, options)
  if (!isTime(ts)) throw new ValidationError('ts must be a time in milliseconds')
  if (url !== undefined && !(typeof url == 'string' && url.length <= MAX_URL_LENGTH)) {
    throw new ValidationError(`url must be a string of at most ${MAX_URL_LENGTH} characters`)
  }
  let clean
  try {
    // Only pageViewed uses its url (page.location); the SDK stamps every other event with location.href.
    if (type == 'pageViewed') url = resolvePageUrl(url as string | undefined, options.base)
    clean = check(data)
  } catch (error) {
    if (!(error instanceof ValidationError)) throw error
    throw new ValidationError(`${type.slice(0, 100)}: ${error.message}`)
  }
  const event = { id, type, ts, data: clean } as AnyWireEvent
  return url === undefined ? event : { ...event, url: url as string }
}

function parseEnvelope(body: unknown): { visitor: string; sent?: number; currencyCode?: string; list: unknown[] } {
  if (!isObject(body)) throw new ValidationError('body must be a JSON object')
  if (body.v !== WIRE_VERSION) throw new ValidationError(`v must be ${WIRE_VERSION}`)
  if (!isId(body.visitor)) throw new ValidationError(`visitor must be ${ID_RULE}`)
  const { currencyCode, sent, events: list } = body
  if (currencyCode !== undefined && !(typeof currencyCode == 'string' && CURRENCY.test(currencyCode))) {
    throw new ValidationError('currencyCode must be an ISO 4217 code like USD')
  }
  if (!Array.isArray(list) || list.length == 0) throw new ValidationError('events must be a non-empty list')
  if (list.length > MAX_BATCH_EVENTS) throw new ValidationError(`events must hold at most ${MAX_BATCH_EVENTS} events`)
  return {
    visitor: body.visitor,
    // Informational only, so a missing or odd value is ignored rather than refused.
    ...(isTime(sent) ? { sent } : {}),
    ...(currencyCode === undefined ? {} : { currencyCode }),
    list,
  }
}

/**
 * Checks a batch. A malformed envelope throws (the whole body is refused); a
 * malformed event only lands in `rejected`, so it does not sink the others.
 */
export function parseBatch(body: unknown, options: ParseOptions = {}): ParsedBatch {
  const { list, ...envelope } = parseEnvelope(body)
  const events: AnyWireEvent[] = []
  const rejected: ParsedBatch['rejected'] = []
  const seen = new Set<string>()
  for (const raw of list) {
    const rawId = isObject(raw) && isId(raw.id) ? raw.id : ''
    try {
      const event = parseEvent(raw, options)
      if (seen.has(event.id)) throw new ValidationError('id repeats an earlier event of this batch')
      seen.add(event.id)
      const data = event.data as { currencyCode?: string }
      if (envelope.currencyCode && TAKES_CURRENCY.has(event.type as EventType) && !data.currencyCode) data.currencyCode = envelope.currencyCode
      events.push(event)
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error
      rejected.push({ id: rawId, reason: error.message })
    }
  }
  return { ...envelope, events, rejected }
}
