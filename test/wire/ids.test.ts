import { randomUUID } from 'node:crypto'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { isId } from '../../src/wire/ids.js'

/** The SDK's id outside secure contexts (src/sdk/uuid.ts). */
const fallbackId = (now: number, random: number) => now.toString(36) + random.toString(36).slice(2)

describe('isId', () => {
  it('accepts the UUIDs of crypto.randomUUID()', () => {
    for (let i = 0; i < 100; i++) expect(isId(randomUUID())).toBe(true)
  })

  it('accepts every id of the SDK’s fallback: the time and Math.random() in base 36', () => {
    // Math.random() in V8 is a multiple of 2^-52 in [0, 1).
    const random = fc.maxSafeNat().map((k) => (k % 2 ** 52) / 2 ** 52)
    fc.assert(
      fc.property(fc.integer({ min: 1e12, max: 4e12 }), random, (now, r) => {
        expect(isId(fallbackId(now, r))).toBe(true)
      }),
      { numRuns: 2000 },
    )
    expect(isId(fallbackId(Date.now(), Math.random()))).toBe(true)
  })

  it.each(['short', 'a'.repeat(65), 'has space 123', 'semi;colon-1', 12345678, null])('refuses %j', (id) => {
    expect(isId(id)).toBe(false)
  })
})
