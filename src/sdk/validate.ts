import type { EventType } from '../wire/types.js'

/**
 * The checks a helper makes before it queues an event: required fields and
 * their types, with the reason. The relay checks the rest (lengths, formats,
 * src/wire/schema.ts) and its reasons come back through `onError`; the full
 * schema stays out of the bundle because every byte ships to every visitor.
 *
 * A rule is `field` (a non-empty string), `field:n` (a number) or `field:a`
 * (a list); `list.field` applies to each item of a list.
 */
const PRODUCT = 'productId price:n'
const REQUIRED: { [T in EventType]?: string } = {
  productViewed: PRODUCT,
  productAddedToWishlist: PRODUCT,
  productCategoryViewed: 'productCategoryId',
  cartUpdated: 'products:a products.productId products.quantity:n products.price:n',
  productImpressions: 'recomVariantId products:a products.productId',
  searchRequest: 'search',
}

const KINDS: Record<string, [(v: unknown) => unknown, string]> = {
  s: [(v) => typeof v == 'string' && v, 'a non-empty string'],
  n: [(v) => typeof v == 'number' && isFinite(v), 'a number'],
  a: [Array.isArray, 'a list'],
}

/** Throws an Error naming the first missing or mistyped field. */
export function checkRequired(type: EventType, data: Record<string, unknown>): void {
  for (const rule of REQUIRED[type]?.split(' ') ?? []) {
    const [path, kind = 's'] = rule.split(':') as [string, string?]
    const [list, field] = path.split('.') as [string, string?]
    const [test, expected] = KINDS[kind]!
    const values = field ? (data[list] as Record<string, unknown>[]).map((item) => item?.[field]) : [data[list]]
    need(values.every(test), `${path} must be ${expected}`)
  }
}

const need = (ok: unknown, message: string) => {
  if (!ok) throw new Error(message)
}

/** A subscribe needs somewhere to reach the contact; the relay checks the address itself. */
export function checkSubscribe<T extends { email?: string; phone?: string }>(input: T): T {
  need(input?.email || input?.phone, 'subscribe needs an email or a phone')
  return input
}

/** The signature covers externalCustomerId, else email, so one of them must come with it. */
export function checkIdentify<T extends { externalCustomerId?: string; email?: string; signature: string }>(input: T): T {
  need(input?.externalCustomerId || input?.email, 'identify needs an externalCustomerId or an email')
  need(input.signature, 'identify needs the signature your backend computed')
  return input
}
