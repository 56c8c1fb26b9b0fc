import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'

/**
 * The one-time codes of Telegram links. A code is the link's start
 * parameter, so it keeps to Telegram's rule for one: at most 64 characters of
 * `A-Za-z0-9_-` (docs/esputnik-api.md, "App tokens (Telegram)"). 32 random
 * bytes in base64url are 43 of them: unguessable, and nothing in it says who
 * the visitor is. The store keeps only its SHA-256.
 */

export const CODE_BYTES = 32

/** A new code from the system's CSPRNG. */
export const newCode = (): string => randomBytes(CODE_BYTES).toString('base64url')

/** What the store keeps of a code, and looks it up by. */
export const hashCode = (code: string): string => createHash('sha256').update(code).digest('base64url')

/** `https://t.me/<bot>?start=<code>`: opens the bot, which then gets `/start <code>`. */
export const telegramLinkUrl = (bot: string, code: string): string => `https://t.me/${bot}?start=${code}`

const digest = (text: string) => createHash('sha256').update(text).digest()

/**
 * Whether the webhook's `X-Telegram-Bot-Api-Secret-Token` header is the
 * secret. Both are hashed first, so timingSafeEqual compares equal lengths
 * and neither the secret nor its length leaks through the timing.
 */
export function isWebhookSecret(header: string | string[] | undefined, secret: string): boolean {
  return typeof header == 'string' && timingSafeEqual(digest(header), digest(secret))
}
