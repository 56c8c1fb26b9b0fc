import { createHash, createHmac, timingSafeEqual } from 'node:crypto'

/**
 * The two secrets of identify. Both comparisons take the same time whatever
 * the input, so a caller cannot learn a secret byte by byte from the timing.
 */

const HEX_SHA256 = /^[\da-f]{64}$/i

/** The hex HMAC-SHA256 a site's backend computes: `createHmac('sha256', secret).update(subject).digest('hex')`. */
export const signSubject = (secret: string, subject: string): string => createHmac('sha256', secret).update(subject).digest('hex')

/** Whether `signature` is the hex HMAC-SHA256 of `subject` under `secret`; a missing or malformed one is not. */
export function isValidSignature(secret: string, subject: string, signature: unknown): boolean {
  if (typeof signature != 'string' || !HEX_SHA256.test(signature) || !subject) return false
  const expected = createHmac('sha256', secret).update(subject).digest()
  const given = Buffer.from(signature, 'hex')
  return given.length == expected.length && timingSafeEqual(given, expected)
}

const digest = (text: string) => createHash('sha256').update(text).digest()

/**
 * Whether an `Authorization` header carries `Bearer <token>`. Both sides are
 * hashed first, so timingSafeEqual compares equal lengths and the token's
 * length does not leak either.
 */
export function isBearer(header: string | undefined, token: string): boolean {
  const given = /^Bearer +(\S+)$/i.exec(header ?? '')?.[1]
  return given !== undefined && timingSafeEqual(digest(given), digest(token))
}
