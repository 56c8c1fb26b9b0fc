import { createHmac } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { isBearer, isValidSignature, signSubject } from '../../../src/relay/ingest/auth.js'

const SECRET = 'a-secret-of-some-length'

describe('isValidSignature', () => {
  it('accepts the hex HMAC-SHA256 the README’s Node example computes, in either case', () => {
    const signature = createHmac('sha256', SECRET).update('c-42').digest('hex')
    expect(signSubject(SECRET, 'c-42')).toBe(signature)
    expect(isValidSignature(SECRET, 'c-42', signature)).toBe(true)
    expect(isValidSignature(SECRET, 'c-42', signature.toUpperCase())).toBe(true)
  })

  it.each<[string, unknown]>([
    ['missing', undefined],
    ['not text', 42],
    ['too short', signSubject(SECRET, 'c-42').slice(2)],
    ['not hex', 'z'.repeat(64)],
    ['of another subject', signSubject(SECRET, 'c-43')],
    ['under another key', signSubject('another-secret-key', 'c-42')],
  ])('refuses a signature that is %s', (_name, signature) => {
    expect(isValidSignature(SECRET, 'c-42', signature)).toBe(false)
  })

  it('refuses anything for an empty subject', () => {
    expect(isValidSignature(SECRET, '', signSubject(SECRET, ''))).toBe(false)
  })
})

describe('isBearer', () => {
  it.each<[string | undefined, boolean]>([
    ['Bearer the-token-0123456789', true],
    ['bearer the-token-0123456789', true],
    ['Bearer the-token-012345678', false],
    ['Bearer the-token-01234567890', false],
    ['Basic the-token-0123456789', false],
    ['the-token-0123456789', false],
    [undefined, false],
  ])('reads %j as the token: %s', (header, ok) => {
    expect(isBearer(header, 'the-token-0123456789')).toBe(ok)
  })
})
