import { describe, expect, it } from 'vitest'
import { locatorProblem, MAX_KEY_VALUE_LENGTH } from '../../src/wire/locators.js'
import { checkIdentify, checkServerIdentify, checkSubscribe } from '../../src/wire/requests.js'

const envelope = { v: 1, id: 'request-0001', ts: 1_732_379_999_000, visitor: 'visitor-0001' }

describe('the identifiers a visitor is linked to', () => {
  it.each<[string, string, string, RegExp]>([
    ['an externalCustomerId eSputnik ignores', 'externalCustomerId', 'NULL', /externalCustomerId "null" is one eSputnik ignores/],
    ['a control character', 'externalCustomerId', 'c-42\u0000', /must be text without control characters/],
    ['half of a surrogate pair', 'email', 'ann\ud800@example.com', /must be text without control characters/],
    ['more than a keyValue takes', 'externalCustomerId', 'c'.repeat(MAX_KEY_VALUE_LENGTH + 1), /at most 300 characters/],
  ])('refuses %s', (_what, key, value, reason) => {
    expect(locatorProblem(key, value)).toMatch(reason)
  })

  it('takes ordinary identifiers, emoji included', () => {
    expect(locatorProblem('externalCustomerId', 'c-42 🍵')).toBeUndefined()
    expect(locatorProblem('email', 'o’brien@example.com')).toBeUndefined()
  })

  it('refuses a subscribe, an identify and a server identify that carry one, with the reason', () => {
    expect(() => checkSubscribe({ ...envelope, email: 'ann@example.com', externalCustomerId: 'null' })).toThrow(/externalCustomerId "null"/)
    expect(() => checkIdentify({ ...envelope, externalCustomerId: 'c-1\u0007', signature: 'x' })).toThrow(/without control characters/)
    expect(() => checkServerIdentify({ visitorId: 'visitor-0001', email: 'ann\u0001@example.com' })).toThrow(/without control characters/)
    expect(checkSubscribe({ ...envelope, email: ' Ann@Example.com ' }).email).toBe('ann@example.com')
  })
})
