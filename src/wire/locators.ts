/**
 * The relay's check of the identifiers a subscribe or identify links a
 * visitor to: each may become the keyValue of the contact's events.
 */

/** eSputnik's longest keyValue (docs/esputnik-api.md, "Generate event v2"); any locator may become one. */
export const MAX_KEY_VALUE_LENGTH = 300

/** A control character, or half of a surrogate pair: not text a keyValue can carry (and JSON would escape it to 6 bytes). */
const NOT_TEXT = /[\u0000-\u001f\u007f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/

/**
 * Why eSputnik would refuse or ignore `value` as the keyValue and locator
 * param `key` of a contact's events, or undefined: at most
 * MAX_KEY_VALUE_LENGTH characters of text, and an externalCustomerId
 * other than `null`, which eSputnik ignores (docs/esputnik-api.md, "Identifiers").
 */
export function locatorProblem(key: string, value: string): string | undefined {
  if (value.length > MAX_KEY_VALUE_LENGTH) return `${key} must have at most ${MAX_KEY_VALUE_LENGTH} characters (eSputnik's keyValue limit)`
  if (NOT_TEXT.test(value)) return `${key} must be text without control characters`
  if (key == 'externalCustomerId' && value.toLowerCase() == 'null') return 'externalCustomerId "null" is one eSputnik ignores; leave it out'
}
