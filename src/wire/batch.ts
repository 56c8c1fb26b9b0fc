import { checkEventData, isEventType, isObject, ValidationError } from './schema.js'
import { WIRE_VERSION, type WireEvent } from './types.js'

/** At most this many events in one batch; the SDK sends 20. */
export const MAX_BATCH_EVENTS = 50
export const MAX_URL_LENGTH = 2048

/** Event and visitor ids: a UUID, or any opaque token of the same alphabet (an existing `sc` cookie). */
const ID = /^[\w-]{8,64}$/

export const isId = (v: unknown): v is string => typeof v == 'string' && ID.test(v)

export interface ParsedBatch {
  visitor: string
  sent: number
  events: WireEvent[]
  rejected: { id: string; reason: string }[]
}

/** Checks one event; returns a clean copy or throws a ValidationError with the reason. */
export function parseEvent(raw: unknown): WireEvent {
  if (!isObject(raw)) throw new ValidationError('event must be an object')
  const { id, type, ts, url, data } = raw
  if (!isId(id)) throw new ValidationError('id must be a UUID')
  if (!isEventType(type)) throw new ValidationError(`type must be one of the seven eSputnik web events`)
  if (typeof ts != 'number' || !Number.isSafeInteger(ts) || ts <= 0) throw new ValidationError('ts must be a time in milliseconds')
  if (url !== undefined && !(typeof url == 'string' && url.length <= MAX_URL_LENGTH)) {
    throw new ValidationError(`url must be a string of at most ${MAX_URL_LENGTH} characters`)
  }
  let clean
  try {
    clean = checkEventData(type, data === undefined ? {} : data)
  } catch (error) {
    throw new ValidationError(`${type}: ${(error as Error).message}`)
  }
  return url === undefined ? { id, type, ts, data: clean } : { id, type, ts, url, data: clean }
}

/**
 * Checks a batch. A malformed envelope throws (the whole body is refused); a
 * malformed event only lands in `rejected`, so it does not sink the others.
 */
export function parseBatch(body: unknown): ParsedBatch {
  if (!isObject(body)) throw new ValidationError('body must be a JSON object')
  if (body.v !== WIRE_VERSION) throw new ValidationError(`v must be ${WIRE_VERSION}`)
  if (!isId(body.visitor)) throw new ValidationError('visitor must be an id of 8 to 64 letters, digits, - or _')
  const list = body.events
  if (!Array.isArray(list) || list.length == 0) throw new ValidationError('events must be a non-empty list')
  if (list.length > MAX_BATCH_EVENTS) throw new ValidationError(`events must hold at most ${MAX_BATCH_EVENTS} events`)
  const sent = typeof body.sent == 'number' && Number.isSafeInteger(body.sent) ? body.sent : 0
  const events: WireEvent[] = []
  const rejected: ParsedBatch['rejected'] = []
  const seen = new Set<string>()
  for (const raw of list) {
    const rawId = isObject(raw) && isId(raw.id) ? raw.id : ''
    try {
      const event = parseEvent(raw)
      if (seen.has(event.id)) throw new ValidationError('id repeats an earlier event of this batch')
      seen.add(event.id)
      events.push(event)
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error
      rejected.push({ id: rawId, reason: error.message })
    }
  }
  return { visitor: body.visitor, sent, events, rejected }
}
