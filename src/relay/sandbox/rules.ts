import { normalizeEmail, normalizePhone } from '../../wire/contact.js'
import {
  BANNED_KEY_CHARACTERS,
  MAX_BODY_BYTES,
  MAX_EVENT_TYPE_KEY_LENGTH,
  MAX_KEY_VALUE_LENGTH,
  MAX_PARAM_NAME_LENGTH,
} from '../esputnik/event-v2.js'
import { ORDER_EVENT_REQUIRED } from './orders.js'

/**
 * What eSputnik checks (docs/esputnik-api.md), written apart from the relay's
 * mappings in esputnik/ so the sandbox catches their mistakes instead of
 * sharing them; only the documented limits are the same constants. Each check
 * returns the message of a 400, or undefined when the request is fine.
 */

type Obj = Record<string, unknown>
const isObj = (v: unknown): v is Obj => typeof v == 'object' && v !== null && !Array.isArray(v)
const filled = (v: unknown) => (typeof v == 'string' ? v.trim() != '' && v != 'null' : typeof v == 'number')

/** eSputnik's keyValue fallback order (docs/esputnik-api.md, "Generate event v2"). */
const LOCATORS = ['contactId', 'externalCustomerId', 'email', 'phone', 'pushToken']

/** A param's value; JSON text (the form of eSputnik's examples) is decoded, objects (v2's form) are taken as they are. */
function decode(value: unknown): unknown {
  if (typeof value != 'string' || !/^\s*[[{]/.test(value)) return value
  try {
    return JSON.parse(value)
  } catch {
    return value
  }
}

const needs = (obj: unknown, prefix: string, fields: Record<string, 'text' | 'num'>): string[] =>
  Object.entries(fields)
    .filter(([k, kind]) => {
      const v = isObj(obj) ? obj[k] : undefined
      return kind == 'num' ? typeof v != 'number' : !filled(v) || typeof v != 'string'
    })
    .map(([k]) => `${prefix}.${k}`)

function needsList(list: unknown, name: string, fields: Record<string, 'text' | 'num'>, optional = false): string[] {
  if (list === undefined && optional) return []
  if (!Array.isArray(list)) return [name]
  return list.flatMap((item, i) => needs(item, `${name}[${i}]`, fields))
}

/** Required params of the seven web events (docs/esputnik-api.md, "The seven web events"). */
const REQUIRED: Record<string, (p: (name: string) => unknown) => string[]> = {
  pageViewed: (p) => needs(p('page'), 'page', { location: 'text' }),
  productViewed: (p) => needs(p('product'), 'product', { productId: 'text', price: 'num' }),
  productAddedToWishlist: (p) => needs(p('product'), 'product', { productId: 'text', price: 'num' }),
  productCategoryViewed: (p) => needs(p('category'), 'category', { productCategoryId: 'text' }),
  cartUpdated: (p) => [
    // "Required parameter if the cart is not empty".
    ...needsList(p('products'), 'products', { productId: 'text', quantity: 'num', price: 'num' }, true),
    ...(filled(p('recycleStateId')) ? [] : ['recycleStateId']),
  ],
  productImpressions: (p) => [
    ...(typeof p('recomVariantId') == 'string' && /^r\d+v\d+$/.test(p('recomVariantId') as string) ? [] : ['recomVariantId']),
    ...needsList(p('products'), 'products', { productId: 'text' }),
  ],
  searchRequest: (p) => (filled(p('search')) ? [] : ['search']),
  // The four order events (sandbox/orders.ts).
  ...ORDER_EVENT_REQUIRED,
}

export function checkGenerateEvent(body: unknown, bytes: number): string | undefined {
  if (bytes > MAX_BODY_BYTES) return `Request content is ${bytes} bytes; at most ${MAX_BODY_BYTES} are accepted`
  if (!isObj(body)) return 'The body must be a JSON object'
  const { eventTypeKey, keyValue, params } = body
  if (typeof eventTypeKey != 'string' || !eventTypeKey || eventTypeKey.length > MAX_EVENT_TYPE_KEY_LENGTH) {
    return `eventTypeKey is required, at most ${MAX_EVENT_TYPE_KEY_LENGTH} characters`
  }
  if (BANNED_KEY_CHARACTERS.test(eventTypeKey)) return 'eventTypeKey contains a forbidden character'
  if (keyValue !== undefined && (typeof keyValue != 'string' || keyValue.length > MAX_KEY_VALUE_LENGTH)) {
    return `keyValue must be a string of at most ${MAX_KEY_VALUE_LENGTH} characters`
  }
  if (!Array.isArray(params)) return 'params must be a list of {name, value}'
  const names = new Set<string>()
  for (const p of params) {
    if (!isObj(p) || typeof p.name != 'string' || !p.name || p.name.length > MAX_PARAM_NAME_LENGTH) {
      return `Each param needs a name of 1 to ${MAX_PARAM_NAME_LENGTH} characters`
    }
    if (names.has(p.name)) return `Param names must be unique: ${p.name} repeats`
    names.add(p.name)
  }
  const param = (name: string) => decode((params as Obj[]).find((p) => p.name == name)?.value)
  if (!filled(keyValue) && !LOCATORS.some((name) => filled(param(name)))) {
    return 'The event has no keyValue and no contactId, externalCustomerId, email, phone or pushToken param'
  }
  const missing = REQUIRED[eventTypeKey]?.(param) ?? []
  if (missing.length) return `The event should have the following params: [${missing.join(', ')}]`
}

export function checkSubscribe(body: unknown): string | undefined {
  if (!isObj(body) || !isObj(body.contact)) return 'contact is required'
  const channels = body.contact.channels
  if (!Array.isArray(channels) || channels.length == 0) return 'contact.channels must list an email or sms channel'
  for (const c of channels) {
    if (!isObj(c) || (c.type != 'email' && c.type != 'sms')) return 'channel type must be email or sms'
    if (c.type == 'email' && !normalizeEmail(c.value)) return `Invalid email: ${String(c.value).slice(0, 100)}`
    if (c.type == 'sms' && !normalizePhone(c.value)) return `Invalid phone number: ${String(c.value).slice(0, 100)}`
  }
  if (body.groups !== undefined && !(Array.isArray(body.groups) && body.groups.every((g) => typeof g == 'string'))) {
    return 'groups must be a list of group names'
  }
}

/**
 * `POST /api/v1/apps/{app_uuid}/tokens` (docs/esputnik-api.md, "App tokens
 * (Telegram)"; schema AppToken): the token is a string, contactId an integer,
 * the other identifiers strings, at least one of them.
 */
export function checkTokens(body: unknown): string | undefined {
  if (!isObj(body) || !Array.isArray(body.tokens) || body.tokens.length == 0) return 'tokens must be a non-empty list'
  for (const t of body.tokens) {
    if (!isObj(t) || typeof t.token != 'string' || !filled(t.token)) return 'Each token needs a token, a string'
    if (t.contactId !== undefined && !Number.isSafeInteger(t.contactId)) return 'contactId must be an integer'
    for (const k of ['externalCustomerId', 'phone', 'email']) {
      if (t[k] !== undefined && typeof t[k] != 'string') return `${k} must be a string`
    }
    if (!['contactId', 'externalCustomerId', 'phone', 'email'].some((k) => filled(t[k]))) {
      return 'Each token needs contactId, externalCustomerId, phone or email'
    }
  }
}
