import { CURRENCY } from './batch.js'
import { normalizeEmail, normalizePhone } from './contact.js'
import { locatorProblem } from './locators.js'
import { ID_RULE, isId, isTime } from './ids.js'
import { checkSchema, isObject, ValidationError, type Schema } from './schema.js'
import { WIRE_VERSION, type IdentifyRequest, type SubscribeRequest } from './types.js'
import type { ServerIdentifyRequest } from './server-types.js'

/**
 * The relay's checks of subscribe and identify requests. The SDK posts them as
 * `{...what the site passed, v, id, ts, visitor}` without looking inside, so
 * every rule lives here, and each refusal names the field and what it should be.
 */

const SUBSCRIBE: Schema = {
  'email?': 'text',
  'phone?': 'text',
  'firstName?': 'text',
  'lastName?': 'text',
  'externalCustomerId?': 'xid',
  'groups?': 'strs',
  'formType?': 'name',
  'fields?': [{ id: 'ref', value: 'text' }],
}

const IDENTIFY: Schema = {
  'externalCustomerId?': 'xid',
  'email?': 'text',
  'phone?': 'text',
}

/** What the SDK puts first on every request; `currencyCode` is the site's default, of no use here but allowed. */
const ENVELOPE = ['v', 'id', 'ts', 'visitor', 'currencyCode']
const names = (schema: Schema) => Object.keys(schema).map((k) => k.replace('?', ''))

/** An identify as checked here; its signature is the relay's to verify (missing or wrong → 401). */
export type CheckedIdentify = Omit<IdentifyRequest, 'signature'> & { signature?: string }

/** A misspelt field (`mail`, `firstname`) would otherwise vanish without a word. */
function refuseUnknown(input: Record<string, unknown>, known: string[], what: string): void {
  const unknown = Object.keys(input).find((k) => !known.includes(k))
  if (unknown !== undefined) {
    throw new ValidationError(`${what} takes no field ${JSON.stringify(unknown.slice(0, 50))}; it takes ${known.join(', ')}`)
  }
}

function checkEnvelope(input: Record<string, unknown>) {
  if (input.v !== WIRE_VERSION) throw new ValidationError(`v must be ${WIRE_VERSION}`)
  if (!isId(input.id)) throw new ValidationError(`id must be ${ID_RULE}`)
  if (!isTime(input.ts)) throw new ValidationError('ts must be a time in milliseconds')
  if (!isId(input.visitor)) throw new ValidationError(`visitor must be ${ID_RULE}`)
  const { currencyCode } = input
  if (currencyCode !== undefined && !(typeof currencyCode == 'string' && CURRENCY.test(currencyCode))) {
    throw new ValidationError('currencyCode must be an ISO 4217 code like USD')
  }
  return { v: WIRE_VERSION, id: input.id, ts: input.ts, visitor: input.visitor } as const
}

/**
 * Replaces email and phone by their normalised forms, refusing what is not
 * one, and refuses an identifier eSputnik would refuse or ignore as a
 * contact's keyValue (locators.ts): the request is answered
 * 400 with the reason rather than linking a contact no event could reach.
 */
function normalizeLocators(out: { externalCustomerId?: string; email?: string; phone?: string }): void {
  for (const [key, normalize] of [['email', normalizeEmail], ['phone', normalizePhone]] as const) {
    if (out[key] === undefined) continue
    const value = normalize(out[key])
    if (!value) throw new ValidationError(`${key} is not a valid ${key == 'email' ? 'email address' : 'phone number in international form'}`)
    out[key] = value
  }
  for (const key of ['externalCustomerId', 'email', 'phone'] as const) {
    const problem = out[key] === undefined ? undefined : locatorProblem(key, out[key])
    if (problem) throw new ValidationError(problem)
  }
}

function checkObject(input: unknown): Record<string, unknown> {
  if (!isObject(input)) throw new ValidationError('body must be a JSON object')
  return input
}

/** Checks a whole `POST /v1/subscribe` body: an email or a phone is required; both come back normalised. */
export function checkSubscribe(input: unknown): SubscribeRequest {
  const body = checkObject(input)
  refuseUnknown(body, [...ENVELOPE, ...names(SUBSCRIBE)], 'subscribe')
  const envelope = checkEnvelope(body)
  const out = checkSchema(SUBSCRIBE, body) as Omit<SubscribeRequest, keyof typeof envelope>
  normalizeLocators(out)
  if (!out.email && !out.phone) throw new ValidationError('subscribe needs an email or a phone')
  return { ...envelope, ...out }
}

/**
 * Checks a whole `POST /v1/identify` body. The signature covers
 * externalCustomerId, else the normalised email, so one of them is required.
 */
export function checkIdentify(input: unknown): CheckedIdentify {
  const body = checkObject(input)
  refuseUnknown(body, [...ENVELOPE, ...names(IDENTIFY), 'signature'], 'identify')
  const envelope = checkEnvelope(body)
  const out = checkSchema(IDENTIFY, body) as Pick<IdentifyRequest, 'externalCustomerId' | 'email' | 'phone'>
  normalizeLocators(out)
  if (!out.externalCustomerId && !out.email) {
    throw new ValidationError('identify needs an externalCustomerId or an email (the signature covers one of them)')
  }
  const { signature } = body
  return { ...envelope, ...out, ...(typeof signature == 'string' ? { signature } : {}) }
}

/** Checks `POST /v1/server/identify` from the site's backend: a visitor id and at least one identifier. */
export function checkServerIdentify(input: unknown): ServerIdentifyRequest {
  const body = checkObject(input)
  refuseUnknown(body, ['visitorId', ...names(IDENTIFY)], 'server identify')
  if (!isId(body.visitorId)) throw new ValidationError(`visitorId must be ${ID_RULE}`)
  const out = checkSchema(IDENTIFY, body) as Omit<ServerIdentifyRequest, 'visitorId'>
  normalizeLocators(out)
  if (!out.externalCustomerId && !out.email && !out.phone) {
    throw new ValidationError('identify needs an externalCustomerId, an email or a phone')
  }
  return { visitorId: body.visitorId, ...out }
}

/** The value the identify signature is computed over. */
export const signedSubject = (input: { externalCustomerId?: string; email?: string }): string =>
  input.externalCustomerId ?? input.email ?? ''
