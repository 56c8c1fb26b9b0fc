import { normalizeEmail, normalizePhone } from './contact.js'
import { ID_RULE, isId } from './ids.js'
import { checkSchema, isObject, ValidationError } from './schema.js'

/**
 * The check of an erase, from `POST /v1/server/erase` and from the CLI's
 * `esputnik-relay erase` alike: exactly one of a visitor id or a contact's
 * identifier, normalised as the relay stored it (an email trimmed and
 * lower-cased, a phone's digits), so the erase finds what the links hold.
 */

/** The fields an erase names its person by, one at a time. */
export const ERASE_FIELDS = ['visitorId', 'email', 'phone', 'externalCustomerId', 'contactId'] as const

export type EraseField = (typeof ERASE_FIELDS)[number]

/** A checked erase: which field, and its normalised value. */
export interface CheckedErase {
  field: EraseField
  value: string
}

const refuse = (reason: string): never => {
  throw new ValidationError(reason)
}

function normalize(field: EraseField, raw: unknown): string {
  switch (field) {
    case 'visitorId':
      return isId(raw) ? raw : refuse(`visitorId must be ${ID_RULE}`)
    case 'email':
      return normalizeEmail(raw) ?? refuse('email is not a valid email address')
    case 'phone':
      return normalizePhone(raw) ?? refuse('phone is not a valid phone number in international form')
    case 'externalCustomerId':
      // The same rule, and the same text, as subscribe's and identify's externalCustomerId.
      return checkSchema({ externalCustomerId: 'xid' }, { externalCustomerId: raw }).externalCustomerId as string
    case 'contactId':
      // eSputnik's contact ids are whole numbers; the relay keeps them as digits.
      return (typeof raw == 'string' && /^\d{1,20}$/.test(raw.trim())) || (Number.isSafeInteger(raw) && (raw as number) > 0)
        ? String(raw).trim()
        : refuse('contactId must be eSputnik’s contact id, a whole number')
  }
}

/** Checks an erase body (`{"email": "…"}`): one known field, no other. */
export function checkErase(input: unknown): CheckedErase {
  if (!isObject(input)) return refuse('body must be a JSON object')
  const given = Object.keys(input)
  const unknown = given.find((k) => !(ERASE_FIELDS as readonly string[]).includes(k))
  if (unknown !== undefined) refuse(`erase takes no field ${JSON.stringify(unknown.slice(0, 50))}; it takes one of ${ERASE_FIELDS.join(', ')}`)
  if (given.length != 1) refuse(`erase takes exactly one of ${ERASE_FIELDS.join(', ')}`)
  const field = given[0] as EraseField
  return { field, value: normalize(field, input[field]) }
}
