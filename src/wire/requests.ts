import { normalizeEmail, normalizePhone } from './contact.js'
import { checkSchema, ValidationError, type Schema } from './schema.js'
import type { IdentifyRequest, SubscribeRequest } from './types.js'

const SUBSCRIBE: Schema = {
  'email?': 'text',
  'phone?': 'text',
  'firstName?': 'text',
  'lastName?': 'text',
  'externalCustomerId?': 'id',
  'groups?': 'strs',
  'formType?': 'name',
  'fields?': [{ id: 'ref', value: 'text' }],
}

const IDENTIFY: Schema = {
  'externalCustomerId?': 'id',
  'email?': 'text',
  'phone?': 'text',
  signature: 'hex',
}

type SubscribeInput = Omit<SubscribeRequest, 'v' | 'id' | 'visitor' | 'ts'>
type IdentifyInput = Omit<IdentifyRequest, 'v' | 'id' | 'visitor' | 'ts'>

/** Replaces email and phone by their normalised forms, refusing what is not one. */
function normalizeLocators(out: { email?: string; phone?: string }): void {
  for (const [key, normalize] of [['email', normalizeEmail], ['phone', normalizePhone]] as const) {
    if (out[key] === undefined) continue
    const value = normalize(out[key])
    if (!value) throw new ValidationError(`${key} is not a valid ${key == 'email' ? 'email address' : 'phone number in international form'}`)
    out[key] = value
  }
}

/** Checks what a subscribe form sends: an email or a phone is required. */
export function checkSubscribe(input: unknown): SubscribeInput {
  const out = checkSchema(SUBSCRIBE, input) as SubscribeInput
  normalizeLocators(out)
  if (!out.email && !out.phone) throw new ValidationError('subscribe needs an email or a phone')
  return out
}

/**
 * Checks an identify call. The signature covers externalCustomerId, else the
 * normalised email, so one of them is required.
 */
export function checkIdentify(input: unknown): IdentifyInput {
  const out = checkSchema(IDENTIFY, input) as IdentifyInput
  normalizeLocators(out)
  if (!out.externalCustomerId && !out.email) throw new ValidationError('identify needs an externalCustomerId or an email')
  return out
}

/** The value the identify signature is computed over. */
export const signedSubject = (input: { externalCustomerId?: string; email?: string }): string =>
  input.externalCustomerId ?? input.email ?? ''
