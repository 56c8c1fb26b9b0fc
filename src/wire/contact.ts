/**
 * The relay's email and phone checks (it must not trust the browser). The SDK
 * does not use them: it sends what the site passed, and the relay's refusal
 * reaches the site's `onError` (src/wire/types.ts), so the rules stay out of
 * the script every visitor downloads. Each returns the normalised value, or
 * undefined when the input is not one.
 */

/** Trimmed and lower-cased; one @, a dot in the domain, no spaces, RFC 5321's 254 characters. */
export function normalizeEmail(input: unknown): string | undefined {
  if (typeof input != 'string') return
  const email = input.trim().toLowerCase()
  return email.length <= 254 && /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/.test(email) ? email : undefined
}

/**
 * Digits in international form without the plus, as eSputnik's examples write
 * them (`380501234567`): separators dropped, a leading `+` or `00` removed,
 * 7 to 15 digits (E.164's maximum).
 */
export function normalizePhone(input: unknown): string | undefined {
  if (typeof input != 'string') return
  const phone = input.trim().replace(/[\s().-]/g, '').replace(/^(\+|00)/, '')
  return /^[1-9]\d{6,14}$/.test(phone) ? phone : undefined
}
