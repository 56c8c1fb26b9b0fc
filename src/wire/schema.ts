import type { EventDataMap, EventType } from './types.js'

/**
 * One table of rules for the data of every event type, used by the SDK before
 * it queues an event and by the relay before it stores one, so both halves
 * agree on what is valid and give the same reason when it is not.
 *
 * A rule is a kind name, or a one-element array: a list of objects shaped by
 * that element's schema. A key ending in `?` is optional.
 */
type Rule = 'id' | 'text' | 'num' | 'bit' | 'cur' | 'props' | 'recom' | [Schema]
type Schema = { [key: string]: Rule }

/** Limits kept small enough that a full event fits eSputnik's 20 KB body. */
export const MAX_ID_LENGTH = 200
export const MAX_TEXT_LENGTH = 1000
export const MAX_LIST_ITEMS = 100
export const MAX_PROPERTIES = 30

const PRODUCT: Schema = {
  productId: 'id',
  price: 'num',
  'isInStock?': 'bit',
  'currencyCode?': 'cur',
  'properties?': 'props',
}

const SCHEMAS: { [T in EventType]: Schema } = {
  pageViewed: { 'title?': 'text', 'referrer?': 'text' },
  productViewed: PRODUCT,
  productCategoryViewed: { productCategoryId: 'id' },
  cartUpdated: {
    products: [
      {
        productId: 'id',
        quantity: 'num',
        price: 'num',
        'name?': 'text',
        'category?': 'text',
        'discount?': 'text',
      },
    ],
    'currencyCode?': 'cur',
    recycleStateId: 'id',
  },
  productAddedToWishlist: PRODUCT,
  productImpressions: { recomVariantId: 'recom', products: [{ productId: 'id' }] },
  searchRequest: { search: 'text', 'isFound?': 'bit' },
}

/** Names a product's own fields take; a property may not shadow them. */
const RESERVED = ['productId', 'price', 'isInStock', '__proto__', 'constructor', 'prototype']

export class ValidationError extends Error {
  override name = 'ValidationError'
}

const fail = (path: string, expected: string): never => {
  throw new ValidationError(`${path} must be ${expected}`)
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v == 'object' && v !== null && !Array.isArray(v)

const isString = (v: unknown, max: number): v is string =>
  typeof v == 'string' && v.length > 0 && v.length <= max

function checkProperties(value: unknown, path: string): Record<string, unknown> {
  if (!isObject(value)) return fail(path, 'an object')
  const keys = Object.keys(value)
  if (keys.length > MAX_PROPERTIES) fail(path, `at most ${MAX_PROPERTIES} properties`)
  const out: Record<string, unknown> = {}
  for (const key of keys) {
    const v = value[key]
    if (!isString(key, 100) || RESERVED.includes(key)) fail(`${path}.${key}`, 'a free property name')
    const ok =
      typeof v == 'number' ? isFinite(v)
      : typeof v == 'boolean' || isString(v, MAX_TEXT_LENGTH) ||
        (Array.isArray(v) && v.length <= MAX_LIST_ITEMS && v.every((s) => isString(s, MAX_TEXT_LENGTH)))
    if (!ok) fail(`${path}.${key}`, 'a string, number, boolean or list of strings')
    out[key] = v
  }
  return out
}

function checkRule(rule: Rule, value: unknown, path: string): unknown {
  if (Array.isArray(rule)) {
    if (!Array.isArray(value) || value.length > MAX_LIST_ITEMS) return fail(path, `a list of at most ${MAX_LIST_ITEMS}`)
    return value.map((item, i) => checkSchema(rule[0], item, `${path}[${i}]`))
  }
  const ok =
    rule == 'num' ? typeof value == 'number' && isFinite(value) && value >= 0
    : rule == 'bit' ? value === 0 || value === 1
    : rule == 'cur' ? typeof value == 'string' && /^[A-Z]{3}$/.test(value)
    : rule == 'recom' ? typeof value == 'string' && /^r\d+v\d+$/.test(value)
    : rule == 'props' ? true
    : isString(value, rule == 'id' ? MAX_ID_LENGTH : MAX_TEXT_LENGTH)
  if (!ok) {
    fail(path, {
      num: 'a number >= 0',
      bit: '0 or 1',
      cur: 'an ISO 4217 code such as USD',
      recom: 'r{recomId}v{variantId}, e.g. r12v3',
      id: `a non-empty string of at most ${MAX_ID_LENGTH} characters`,
      text: `a non-empty string of at most ${MAX_TEXT_LENGTH} characters`,
      props: '',
    }[rule])
  }
  return rule == 'props' ? checkProperties(value, path) : value
}

/** Copies only the fields the schema names, so unknown keys never travel further. */
function checkSchema(schema: Schema, value: unknown, path: string): Record<string, unknown> {
  if (!isObject(value)) return fail(path, 'an object')
  const out: Record<string, unknown> = {}
  for (const spec in schema) {
    const key = spec.replace('?', '')
    const v = value[key]
    if (v === undefined && spec != key) continue
    out[key] = checkRule(schema[spec]!, v, path ? `${path}.${key}` : key)
  }
  return out
}

/**
 * Checks the data of an event of `type` and returns a clean copy holding only
 * the known fields. Throws a ValidationError whose message names the field and
 * what it should be.
 */
export function checkEventData<T extends EventType>(type: T, data: unknown): EventDataMap[T] {
  if (!isEventType(type)) throw new ValidationError(`unknown event type ${String(type).slice(0, 40)}`)
  return checkSchema(SCHEMAS[type], data, '') as unknown as EventDataMap[T]
}

export const isEventType = (type: unknown): type is EventType =>
  typeof type == 'string' && Object.prototype.hasOwnProperty.call(SCHEMAS, type)
