import type { RecordedRequest } from './recorder.js'

/**
 * What an erase takes from the sandbox: every recorded request whose body
 * or reply holds one of the person's identifiers (a visitor id as keyValue,
 * an email, a phone, a contact id, a chat id) as a whole value. Param values
 * that are JSON text (Generate event's nested values) are looked into too.
 */

function holdsAny(value: unknown, identifiers: ReadonlySet<string>, depth = 0): boolean {
  if (depth > 20) return false
  if (typeof value == 'number') return identifiers.has(String(value))
  if (typeof value == 'string') {
    if (identifiers.has(value)) return true
    if (!/^\s*[[{]/.test(value)) return false
    try {
      return holdsAny(JSON.parse(value), identifiers, depth + 1)
    } catch {
      return false
    }
  }
  if (Array.isArray(value)) return value.some((item) => holdsAny(item, identifiers, depth + 1))
  if (typeof value == 'object' && value !== null) return Object.values(value).some((item) => holdsAny(item, identifiers, depth + 1))
  return false
}

/** Whether a recorded request holds one of these identifiers. */
export const mentionsAny = (request: RecordedRequest, identifiers: ReadonlySet<string>): boolean =>
  holdsAny(request.body, identifiers) || holdsAny(request.reply, identifiers)
