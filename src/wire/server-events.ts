import { parseEvent } from './batch.js'
import { normalizeEmail, normalizePhone } from './contact.js'
import { ID_RULE, isId } from './ids.js'
import { locatorProblem } from './locators.js'
import { isOrderEventType } from './orders.js'
import { isObject, ValidationError } from './schema.js'
import type { AnyWireEvent } from './types.js'
import type { ServerContact } from './server-types.js'

/**
 * `POST /v1/server/events` from the shop's backend: events of any type (the
 * seven, or a custom one of any valid key), each for a visitor (`visitorId`,
 * the `sc` cookie as the backend sees it) or straight for a contact (its
 * identifiers). Each event is checked on its own, so a bad one costs the
 * others nothing.
 */

/** Most events in one request. */
export const MAX_SERVER_EVENTS = 500

const TARGETS = ['visitorId', 'contactId', 'externalCustomerId', 'email', 'phone'] as const
const EVENT_FIELDS = ['id', 'type', 'ts', 'url', 'data', ...TARGETS]

/** Whom an event is for: a visitor, whose link decides (held until there is one), or a contact. */
export type ServerEventTarget = { visitor: string } | { contact: ServerContact }

export interface ServerEvent {
  /** Its place in the request. */
  index: number
  event: AnyWireEvent
  target: ServerEventTarget
}

export interface ParsedServerEvents {
  events: ServerEvent[]
  refused: { index: number; id: string; reason: string }[]
}

/** eSputnik's contact id is a number; it travels as its digits. */
function contactIdOf(value: unknown): string {
  if ((typeof value == 'number' && Number.isSafeInteger(value) && value > 0) || (typeof value == 'string' && /^\d{1,20}$/.test(value))) return String(value)
  throw new ValidationError("contactId must be eSputnik's contact id, a whole number")
}

function text(key: string, value: unknown): string {
  if (typeof value == 'number' && key == 'externalCustomerId' && Number.isSafeInteger(value) && value >= 0) return String(value)
  if (typeof value != 'string' || value.trim() == '') throw new ValidationError(`${key} must be a non-empty string`)
  return value.trim()
}

/** The contact the identifiers name, each normalised and checked as a keyValue. */
function contactOf(raw: Record<string, unknown>): ServerContact {
  const contact: ServerContact = {}
  if (raw.contactId !== undefined) contact.contactId = contactIdOf(raw.contactId)
  if (raw.externalCustomerId !== undefined) contact.externalCustomerId = text('externalCustomerId', raw.externalCustomerId)
  if (raw.email !== undefined) {
    contact.email = normalizeEmail(raw.email)
    if (!contact.email) throw new ValidationError('email is not a valid email address')
  }
  if (raw.phone !== undefined) {
    contact.phone = normalizePhone(raw.phone)
    if (!contact.phone) throw new ValidationError('phone is not a valid phone number in international form')
  }
  for (const [key, value] of Object.entries(contact)) {
    const problem = locatorProblem(key, value)
    if (problem) throw new ValidationError(problem)
  }
  return contact
}

function targetOf(raw: Record<string, unknown>): ServerEventTarget {
  const given = TARGETS.filter((key) => raw[key] !== undefined)
  if (given.length == 0) throw new ValidationError('an event needs a visitorId, or a contactId, externalCustomerId, email or phone')
  if (!given.includes('visitorId')) return { contact: contactOf(raw) }
  if (given.length > 1) throw new ValidationError("give a visitorId or the contact's identifiers, not both")
  if (!isId(raw.visitorId)) throw new ValidationError(`visitorId must be ${ID_RULE}`)
  return { visitor: raw.visitorId }
}

function parseOne(raw: unknown): Omit<ServerEvent, 'index'> {
  if (!isObject(raw)) throw new ValidationError('event must be an object')
  const unknown = Object.keys(raw).find((key) => !EVENT_FIELDS.includes(key))
  if (unknown !== undefined) throw new ValidationError(`an event takes no field ${JSON.stringify(unknown.slice(0, 50))}; it takes ${EVENT_FIELDS.join(', ')}`)
  const target = targetOf(raw)
  // A backend's order goes with its Add orders row and its contact rules, not as a lone event.
  if (isOrderEventType(raw.type)) throw new ValidationError(`${raw.type} is an order status: post the order to /v1/server/orders`)
  // The backend may send any valid custom type; a pageViewed needs an absolute url (there is no page to resolve it against).
  return { event: parseEvent(raw, { customTypes: '*' }), target }
}

/** Checks a whole request. A malformed envelope throws (400); a bad event only lands in `refused`. */
export function parseServerEvents(body: unknown): ParsedServerEvents {
  if (!isObject(body)) throw new ValidationError('body must be a JSON object {"events": [...]}')
  const unknown = Object.keys(body).find((key) => key != 'events')
  if (unknown !== undefined) throw new ValidationError(`the body takes no field ${JSON.stringify(unknown.slice(0, 50))}; it takes events`)
  const list = body.events
  if (!Array.isArray(list) || list.length == 0) throw new ValidationError('events must be a non-empty list')
  if (list.length > MAX_SERVER_EVENTS) throw new ValidationError(`events must hold at most ${MAX_SERVER_EVENTS} events`)
  const parsed: ParsedServerEvents = { events: [], refused: [] }
  const seen = new Set<string>()
  list.forEach((raw, index) => {
    const id = isObject(raw) && isId(raw.id) ? raw.id : ''
    try {
      const one = parseOne(raw)
      if (seen.has(one.event.id)) throw new ValidationError('id repeats an earlier event of this request')
      seen.add(one.event.id)
      parsed.events.push({ index, ...one })
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error
      parsed.refused.push({ index, id, reason: error.message })
    }
  })
  return parsed
}
