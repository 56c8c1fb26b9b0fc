import type { Locators } from '../../esputnik/locators.js'
import { maskEmail, maskPhone } from '../../ops/log.js'

/**
 * The bot's reply to a linked chat, carried in the webhook's answer (a
 * webhook answer may hold one method call, so the relay needs no outgoing
 * call to Telegram: docs/esputnik-api.md, "App tokens (Telegram)").
 * `{contact}` in the text names the contact masked, so the person sees whom
 * they linked and a stranger who got the link learns little.
 */

export interface WelcomeReply {
  method: 'sendMessage'
  chat_id: number
  text: string
}

/** Said for `{contact}` while the visitor is not linked to a contact yet. */
export const UNKNOWN_CONTACT = 'your account on the shop'

/** `a***@example.com`, `380*****567`, `C***` for a customer number; undefined without any. */
export function maskContact(locators: Locators | undefined): string | undefined {
  if (locators?.email) return maskEmail(locators.email)
  if (locators?.phone) return maskPhone(locators.phone)
  if (locators?.externalCustomerId) return `${locators.externalCustomerId[0]}***`
}

export function welcomeReply(text: string, chatId: string, locators: Locators | undefined): WelcomeReply {
  const contact = maskContact(locators) ?? UNKNOWN_CONTACT
  return { method: 'sendMessage', chat_id: Number(chatId), text: text.replaceAll('{contact}', contact) }
}
