import type { EventDataMap, EventType } from './types.js'

/**
 * One table of rules for the data of every event type. The relay checks every
 * event, subscribe and identify against it: the SDK sends what the site passed
 * as it is (its 3 KB budget has no room for rules), so this is where input is
 * checked, normalised (booleans to eSputnik's 0/1) and explained.
 *
 * A rule is a kind name, or a one-element array: a list of objects shaped by
 * that element's schema. A key ending in `?` is optional.
 */
type Kind = keyof typeof KINDS
type Rule = Kind | [Schema]
export type Schema = { [key: string]: Rule }

/** Limits kept small enough that a full event fits eSputnik's 20 KB body. */
export const MAX_ID_LENGTH = 200
export const MAX_TEXT_LENGTH = 1000
export const MAX_LIST_ITEMS = 100
export const MAX_PROPERTIES = 30

export class ValidationError extends Error {
  override name = 'ValidationError'
}

const isString = (max: number) => (v: unknown) => typeof v == 'string' && v.length > 0 && v.length <= max
const matches = (pattern: RegExp) => (v: unknown) => typeof v == 'string' && pattern.test(v)
const isId = isString(MAX_ID_LENGTH)
const isText = isString(MAX_TEXT_LENGTH)
const isList = (v: unknown, item: (v: unknown) => boolean): v is unknown[] =>
  Array.isArray(v) && v.length <= MAX_LIST_ITEMS && v.every(item)
export const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v == 'object' && !Array.isArray(v)

/** A product's own fields, and names that would reach Object.prototype, may not be properties. */
const RESERVED = /^(productId|price|isInStock|__proto__|constructor|prototype)$/

/** `someProductProperty: ['green']` and the like (eSputnik's productViewed example, docs/esputnik-api.md "The seven web events"): flat values only. */
const isProperties = (v: unknown) =>
  isObject(v) &&
  Object.keys(v).length <= MAX_PROPERTIES &&
  Object.entries(v).every(
    ([key, value]) =>
      isString(100)(key) && !RESERVED.test(key) &&
      (typeof value == 'boolean' || (typeof value == 'number' && isFinite(value)) || isText(value) || isList(value, isText)),
  )

/** A kind: its test, what the value should be when the test fails, and how a passing value is stored. */
type KindSpec = readonly [test: (v: unknown) => boolean, expected: string, convert?: (v: never) => unknown]

/** Each kind: its test, and what the value should be when the test fails. */
const KINDS = {
  id: [isId, `a string of 1 to ${MAX_ID_LENGTH} characters`],
  text: [isText, `a string of 1 to ${MAX_TEXT_LENGTH} characters`],
  num: [(v: unknown) => typeof v == 'number' && v >= 0 && v < Infinity, 'a number >= 0'],
  // Sites pass booleans; eSputnik documents an int for isInStock and isFound (docs/esputnik-api.md, "The seven web events").
  bit: [(v: unknown) => v === 0 || v === 1 || typeof v == 'boolean', '0, 1, true or false', (v: number | boolean) => +v],
  cur: [matches(/^[A-Z]{3}$/), 'an ISO 4217 code like USD'],
  recom: [matches(/^r\d+v\d+$/), 'r{recomId}v{variantId}, like r12v3'],
  hex: [matches(/^[\da-f]{64}$/i), 'a hex HMAC-SHA256'],
  name: [matches(/^[\w.-]{1,50}$/), 'up to 50 letters, digits, _ . or -'],
  // A shop's customer number may come as a number; eSputnik keeps text, and the identify signature covers that text.
  xid: [
    (v: unknown) => (typeof v == 'string' && isId(v.trim())) || (Number.isSafeInteger(v) && (v as number) >= 0),
    `a customer id: a string of 1 to ${MAX_ID_LENGTH} characters, or a whole number`,
    (v: string | number) => String(v).trim(),
  ],
  ref: [(v: unknown) => Number.isSafeInteger(v) || isId(v), 'a field id'],
  strs: [(v: unknown) => isList(v, isId), 'a list of strings'],
  props: [isProperties, `an object of at most ${MAX_PROPERTIES} flat values, not named productId, price or isInStock`],
} as const satisfies Record<string, KindSpec>

const PRODUCT: Schema = {
  productId: 'id',
  price: 'num',
  'isInStock?': 'bit',
  'currencyCode?': 'cur',
  'properties?': 'props',
}

/** A line of an order (src/wire/orders.ts, OrderLine), from the browser or the backend. */
export const ORDER_LINE: Schema = { productId: 'id', quantity: 'num', price: 'num', 'name?': 'text', 'category?': 'text', 'url?': 'text', 'imageUrl?': 'text' }

const BROWSER_ORDER: Schema = { orderId: 'id', totalCost: 'num', 'currencyCode?': 'cur', items: [ORDER_LINE], recycleStateId: 'id' }

const SCHEMAS: { [T in EventType]: Schema } = {
  // The page's address travels as the event's url; eSputnik takes nothing else.
  pageViewed: {},
  productViewed: PRODUCT,
  productCategoryViewed: { productCategoryId: 'id' },
  cartUpdated: {
    products: [
      { productId: 'id', quantity: 'num', price: 'num', 'name?': 'text', 'category?': 'text', 'discount?': 'text' },
    ],
    'currencyCode?': 'cur',
    recycleStateId: 'id',
  },
  productAddedToWishlist: PRODUCT,
  productImpressions: { recomVariantId: 'recom', products: [{ productId: 'id' }] },
  searchRequest: { search: 'text', 'isFound?': 'bit' },
}

const fail = (path: string, expected: string): never => {
  throw new ValidationError(`${path} must be ${expected}`)
}

/**
 * Checks `value` against `schema` and returns a copy holding only the fields
 * the schema names, so unknown keys never travel further. Throws a
 * ValidationError naming the field and what it should be.
 */
export function checkSchema(schema: Schema, value: unknown, path = ''): Record<string, unknown> {
  if (!isObject(value)) return fail(path || 'input', 'an object')
  const out: Record<string, unknown> = {}
  for (const spec in schema) {
    const key = spec.replace('?', '')
    const rule = schema[spec]!
    const v = value[key]
    const at = path ? `${path}.${key}` : key
    if (v === undefined && spec != key) continue
    if (Array.isArray(rule)) {
      if (!isList(v, isObject)) fail(at, `a list of at most ${MAX_LIST_ITEMS} objects`)
      out[key] = (v as unknown[]).map((item, i) => checkSchema(rule[0], item, `${at}[${i}]`))
    } else {
      const [test, expected, convert]: KindSpec = KINDS[rule]
      out[key] = !test(v) ? fail(at, expected) : convert ? convert(v as never) : v
    }
  }
  return out
}

/**
 * Typed checks of event types beyond the seven, by type: a type listed here
 * is checked by its function (which returns the data to store, or throws a
 * ValidationError) instead of by the custom-event rules of
 * src/wire/custom-events.ts, and is taken from every route. The place for a
 * feature that gives a wire type a shape of its own (a purchase from the
 * browser as `orderCreated`, say).
 */
export const TYPED_EVENT_CHECKS: Readonly<Record<string, (data: unknown) => Record<string, unknown>>> = {
  // The SDK's purchased() (src/wire/orders.ts, BrowserOrderData): the order, and the cart it closes.
  orderCreated: (data) => checkSchema(BROWSER_ORDER, data),
}

/** The typed check of a wire type beyond the seven, if it has one. */
export const typedCheckOf = (type: string) => (Object.prototype.hasOwnProperty.call(TYPED_EVENT_CHECKS, type) ? TYPED_EVENT_CHECKS[type] : undefined)

export const isEventType = (type: unknown): type is EventType =>
  typeof type == 'string' && Object.prototype.hasOwnProperty.call(SCHEMAS, type)

/** Checks the data of an event of `type`; see checkSchema. */
export function checkEventData<T extends EventType>(type: T, data: unknown): EventDataMap[T] {
  if (!isEventType(type)) throw new ValidationError(`type must be one of the seven eSputnik web events`)
  return checkSchema(SCHEMAS[type], data) as unknown as EventDataMap[T]
}
