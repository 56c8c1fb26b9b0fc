import { normalizeEmail, normalizePhone } from './contact.js'
import { ID_RULE, isId } from './ids.js'
import { checkSchema, isObject, ValidationError, type Schema } from './schema.js'
import { WIRE_VERSION, type TelegramLinkRequest } from './types.js'
import type { ServerContact } from './server-types.js'

/**
 * The relay's checks of the Telegram requests: the SDK's link request, and
 * the two calls of the shop's backend. Each refusal names the field and what
 * it should be; the checked values come back normalised (email lower-cased,
 * phone as digits, ids as text).
 */

/** Most tokens one `POST /v1/server/telegram-tokens` may carry. */
export const MAX_SERVER_TOKENS = 1000

/** Who a link or a token is for: a visitor of the SDK (its link gives the contact), or a contact the shop names. */
export type TelegramTarget = { visitorId: string } | { contact: ServerContact }

/** A token of the shop's own bot, checked. */
export interface CheckedTelegramToken {
  chatId: string
  target: TelegramTarget
}

const CONTACT: Schema = { 'externalCustomerId?': 'xid', 'email?': 'text', 'phone?': 'text' }

/** A Telegram chat id: an integer of up to 52 significant bits, sent as a number or as its digits. */
const CHAT_ID = /^-?[1-9]\d{0,19}$/

/** eSputnik's contactId: a positive integer (int64 in its definition), as a number or its digits. */
const CONTACT_ID = /^[1-9]\d{0,18}$/

const object = (input: unknown, what: string): Record<string, unknown> => {
  if (!isObject(input)) throw new ValidationError(`${what} must be a JSON object`)
  return input
}

function refuseUnknown(input: Record<string, unknown>, known: string[], what: string): void {
  const unknown = Object.keys(input).find((k) => !known.includes(k))
  if (unknown !== undefined) {
    throw new ValidationError(`${what} takes no field ${JSON.stringify(unknown.slice(0, 50))}; it takes ${known.join(', ')}`)
  }
}

/** `POST /v1/telegram/link` from the SDK: `{v: 1, visitor}` (an id and ts of the SDK's envelope are allowed and unused). */
export function checkTelegramLink(input: unknown): TelegramLinkRequest {
  const body = object(input, 'body')
  refuseUnknown(body, ['v', 'visitor', 'id', 'ts'], 'telegram link')
  if (body.v !== WIRE_VERSION) throw new ValidationError(`v must be ${WIRE_VERSION}`)
  if (!isId(body.visitor)) throw new ValidationError(`visitor must be ${ID_RULE}`)
  return { v: WIRE_VERSION, visitor: body.visitor }
}

/** The contact's identifiers of a backend call, normalised; at least one. */
function checkContact(body: Record<string, unknown>, withContactId: boolean): ServerContact {
  const out = checkSchema(CONTACT, body) as ServerContact
  for (const [key, normalize] of [['email', normalizeEmail], ['phone', normalizePhone]] as const) {
    if (out[key] === undefined) continue
    const value = normalize(out[key])
    if (!value) throw new ValidationError(`${key} is not a valid ${key == 'email' ? 'email address' : 'phone number in international form'}`)
    out[key] = value
  }
  if (withContactId && body.contactId !== undefined) {
    const id = typeof body.contactId == 'number' && Number.isSafeInteger(body.contactId) ? String(body.contactId) : body.contactId
    if (typeof id != 'string' || !CONTACT_ID.test(id)) throw new ValidationError("contactId must be eSputnik's contact id, a positive integer")
    out.contactId = id
  }
  if (!out.contactId && !out.externalCustomerId && !out.email && !out.phone) {
    throw new ValidationError(`needs a visitorId or the contact's ${withContactId ? 'contactId, ' : ''}externalCustomerId, email or phone`)
  }
  return out
}

/** The visitor, or the contact's identifiers: one or the other, never both. */
function checkTarget(body: Record<string, unknown>, withContactId: boolean): TelegramTarget {
  if (body.visitorId === undefined) return { contact: checkContact(body, withContactId) }
  if (!isId(body.visitorId)) throw new ValidationError(`visitorId must be ${ID_RULE}`)
  if (['contactId', 'externalCustomerId', 'email', 'phone'].some((k) => body[k] !== undefined)) {
    throw new ValidationError("give a visitorId or the contact's identifiers, not both")
  }
  return { visitorId: body.visitorId }
}

/** `POST /v1/server/telegram-link`: `{visitorId}` or `{externalCustomerId | email | phone}`. */
export function checkServerTelegramLink(input: unknown): TelegramTarget {
  const body = object(input, 'body')
  refuseUnknown(body, ['visitorId', 'externalCustomerId', 'email', 'phone'], 'telegram link')
  return checkTarget(body, false)
}

/** The body of `POST /v1/server/telegram-tokens`: its list, each item left to checkServerTelegramToken. */
export function checkServerTelegramTokens(input: unknown): unknown[] {
  const body = object(input, 'body')
  refuseUnknown(body, ['tokens'], 'telegram tokens')
  const { tokens } = body
  if (!Array.isArray(tokens) || tokens.length == 0 || tokens.length > MAX_SERVER_TOKENS) {
    throw new ValidationError(`tokens must be a list of 1 to ${MAX_SERVER_TOKENS} items`)
  }
  return tokens
}

/** One item of `tokens`: `{chatId, contactId? | externalCustomerId? | email? | phone? | visitorId?}`. */
export function checkServerTelegramToken(input: unknown): CheckedTelegramToken {
  const item = object(input, 'a token')
  refuseUnknown(item, ['chatId', 'visitorId', 'contactId', 'externalCustomerId', 'email', 'phone'], 'a token')
  const chatId = typeof item.chatId == 'number' && Number.isSafeInteger(item.chatId) ? String(item.chatId) : item.chatId
  if (typeof chatId != 'string' || !CHAT_ID.test(chatId)) throw new ValidationError('chatId must be a Telegram chat id, an integer')
  return { chatId, target: checkTarget(item, true) }
}
