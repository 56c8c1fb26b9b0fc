import { createHash } from 'node:crypto'
import { stdSerializers } from 'pino'
import type { LogLevel } from './env-schema.js'

/**
 * Logs must never carry a visitor's email or phone, nor its visitor id:
 * whoever holds one can mint a Telegram link for it (README, "Telegram"). Masking happens in three
 * places pino offers: the message (logMethod hook), the merged object
 * (formatters.log) and the serialised request and error (serializers).
 */

/** `john@example.com` → `j***@example.com` */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@')
  return at < 1 ? '***' : `${email[0]}***${email.slice(at)}`
}

/** `380501234567` → `380*****567`; the stars do not tell the length. */
export function maskPhone(phone: string): string {
  const digits = phone.replace(/\D/g, '')
  return digits.length < 7 ? '*****' : `${digits.slice(0, 3)}*****${digits.slice(-3)}`
}

/** A visitor id as logs show it: a fingerprint that tells one visitor's lines apart and cannot be used as the id. */
export const maskVisitor = (id: string): string => `v#${createHash('sha256').update(id).digest('base64url').slice(0, 10)}`

const EMAIL = /[^\s@"'<>(),;:]+@[^\s@"'<>(),;:]+\.[a-z]{2,}/gi
// A standalone run of 9-15 digits, or a +-prefixed number with separators.
const PHONE = /(?<![\w-])\+?\d{9,15}(?![\w-])|\+\d[\d ()-]{7,}\d/g

/** Masks every email and phone-looking number inside free text. */
export function maskText(text: string): string {
  return text.replace(EMAIL, maskEmail).replace(PHONE, maskPhone)
}

const EMAIL_KEY = /^(e-?mail|emailaddress|user_email)$/i
const PHONE_KEY = /^(phone|sms|msisdn|tel|mobile|user_phone)$/i
const VISITOR_KEY = /^(visitor|visitorId|visitors|visitorIds)$/i

const isPlain = (v: unknown): v is Record<string, unknown> =>
  typeof v == 'object' && v !== null && [Object.prototype, null].includes(Object.getPrototypeOf(v))

function maskValue(key: string, value: string): string {
  if (EMAIL_KEY.test(key)) return maskEmail(value)
  if (PHONE_KEY.test(key)) return maskPhone(value)
  if (VISITOR_KEY.test(key)) return maskVisitor(value)
  return maskText(value)
}

/**
 * A copy of `value` with PII masked: by key (`email`, `phone`), by shape
 * (`{name: 'email', value}` params, `{type: 'sms', value}` channels) and in
 * any string. Class instances (requests, sockets) are left to serializers.
 */
export function scrub(value: unknown, key = '', depth = 0): unknown {
  if (typeof value == 'string') return maskValue(key, value)
  if (depth > 8) return value
  if (Array.isArray(value)) return value.map((v) => scrub(v, key, depth + 1))
  if (!isPlain(value)) return value
  const label = typeof value.name == 'string' ? value.name : typeof value.type == 'string' ? value.type : ''
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(value)) {
    out[k] = k == 'value' && typeof v == 'string' && label ? maskValue(label, v) : scrub(v, k, depth + 1)
  }
  return out
}

/** pino options for fastify's `logger`. */
export function createLoggerOptions(level: LogLevel) {
  return {
    level,
    formatters: { log: (obj: Record<string, unknown>) => scrub(obj) as Record<string, unknown> },
    hooks: {
      logMethod(this: unknown, args: unknown[], method: (...a: unknown[]) => void) {
        method.apply(this, args.map((a) => (typeof a == 'string' ? maskText(a) : a)))
      },
    },
    serializers: {
      req: (req: { method?: string; url?: string; ip?: string; id?: string }) => ({
        id: req.id,
        method: req.method,
        url: req.url && maskText(req.url),
        ip: req.ip,
      }),
      // pino's error objects have their own prototype; a JSON round trip makes them plain for scrub.
      err: (err: Error) => scrub(JSON.parse(JSON.stringify(stdSerializers.err(err)))) as ReturnType<typeof stdSerializers.err>,
    },
  }
}
