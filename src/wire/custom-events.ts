import { isObject, ValidationError } from './schema.js'
import type { CustomParams } from './types.js'

/**
 * Custom events: any eventTypeKey beyond the seven web events, with params
 * from a flat object. Generate event takes any type ("If no such event type
 * exists with such a key, a new one is created", docs/esputnik-api.md
 * "Generate event v2"), so these are eSputnik's rules for a key and a param,
 * checked before anything is stored, plus the names no custom event may take.
 */

/** eSputnik's limits of an eventTypeKey (docs/esputnik-api.md, "Generate event v2"). */
export const MAX_EVENT_TYPE_KEY_LENGTH = 100
/** None of `< ; ’ \ / | " ` ' ^ ? ! , >` (the ’ is U+2019, the right single quote). */
export const BANNED_KEY_CHARACTERS = /[<;\u2019'\\/|"^?!,>`]/
export const MAX_PARAM_NAME_LENGTH = 100
/** Params of one custom event; its whole body must still fit eSputnik's 20 KB. */
export const MAX_CUSTOM_PARAMS = 50

/**
 * Event types eSputnik raises itself or gives a meaning of its own: the order
 * events start the order workflows, Subscribe contact raises
 * `subscribeFromApi…` and `subscribeUpdateFromApi…` (docs/esputnik-api.md,
 * "Orders" and "Subscribe contact"). Compared without case, as prefixes.
 */
const RESERVED_PREFIXES = ['orderCreated', 'orderUpdated', 'orderDelivered', 'orderCancelled', 'subscribeFromApi', 'subscribeUpdateFromApi']

/**
 * Param names a custom event may not carry. The relay sets the contact's
 * locators and `occurredAt` itself; and eSputnik maps an event to a contact
 * by these names, compared without case
 * (https://docs.esputnik.com/docs/segmentation-by-events), so a page could
 * otherwise file its event under someone else's contact. Plus the names that
 * would reach Object.prototype.
 */
const FORBIDDEN_PARAMS = new Set(
  [
    'contactId', 'contact_id', 'externalCustomerId', 'email', 'emailAddress', 'userEmail', 'contactEmail', 'phone', 'sms',
    'phoneNumber', 'pushToken', 'contactKey', 'contact_key', 'occurredAt', '__proto__', 'constructor', 'prototype',
  ].map((name) => name.toLowerCase()),
)

/** Why eSputnik would refuse `key` as an eventTypeKey, or undefined when it would not. */
export function eventTypeKeyProblem(key: unknown): string | undefined {
  if (typeof key != 'string' || key.length == 0 || key.length > MAX_EVENT_TYPE_KEY_LENGTH) {
    return `type must be an eventTypeKey of 1 to ${MAX_EVENT_TYPE_KEY_LENGTH} characters`
  }
  const banned = BANNED_KEY_CHARACTERS.exec(key)
  if (banned) return `type ${JSON.stringify(key.slice(0, 40))} has ${JSON.stringify(banned[0])}, a character eSputnik forbids in an eventTypeKey`
}

/** Whether `key` is one of eSputnik's own event types, which no custom event may take. */
export const isReservedEventType = (key: string): boolean => {
  const lower = key.toLowerCase()
  return RESERVED_PREFIXES.some((prefix) => lower.startsWith(prefix.toLowerCase()))
}

/** Which custom types a route takes: every valid one (`*`), or those listed (CUSTOM_EVENT_TYPES). */
export type CustomTypes = '*' | readonly string[]

/** Throws a ValidationError unless `type` may be sent as a custom event under `allowed`. */
export function checkCustomType(type: unknown, allowed: CustomTypes): asserts type is string {
  const problem = eventTypeKeyProblem(type)
  if (problem) throw new ValidationError(problem)
  const key = type as string
  if (isReservedEventType(key)) {
    throw new ValidationError(`type ${key.slice(0, 40)} is one of eSputnik's own event types (orders, subscribeFromApi…) and cannot be sent as a custom event`)
  }
  if (allowed != '*' && !allowed.includes(key)) {
    throw new ValidationError(
      `type must be one of the seven eSputnik web events or a custom event type listed in CUSTOM_EVENT_TYPES; ${key.slice(0, 40)} is not listed`,
    )
  }
}

/**
 * Checks a custom event's params: a flat object of at most MAX_CUSTOM_PARAMS
 * names of 1 to 100 characters, none of FORBIDDEN_PARAMS. Values are text,
 * numbers or booleans (sent as text), or objects and lists (sent as JSON
 * text); a null value is left out. Returns a copy with only those values.
 */
export function checkCustomParams(data: unknown): CustomParams {
  if (data === undefined) return {}
  if (!isObject(data)) throw new ValidationError('data must be an object of params')
  const entries = Object.entries(data).filter(([, value]) => value !== null && value !== undefined)
  if (entries.length > MAX_CUSTOM_PARAMS) throw new ValidationError(`data must have at most ${MAX_CUSTOM_PARAMS} params`)
  for (const [name, value] of entries) {
    if (name.length == 0 || name.length > MAX_PARAM_NAME_LENGTH) {
      throw new ValidationError(`param names must have 1 to ${MAX_PARAM_NAME_LENGTH} characters`)
    }
    if (FORBIDDEN_PARAMS.has(name.toLowerCase())) {
      throw new ValidationError(`param ${name} is not allowed: the relay sets the contact's identifiers and occurredAt itself`)
    }
    const ok = typeof value == 'string' || typeof value == 'boolean' || typeof value == 'object' || (typeof value == 'number' && Number.isFinite(value))
    if (!ok) throw new ValidationError(`param ${name} must be text, a number, a boolean, an object or a list`)
  }
  // fromEntries defines own properties, so no name can reach a prototype.
  return Object.fromEntries(entries) as CustomParams
}
