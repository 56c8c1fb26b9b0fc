import { describe, expect, it } from 'vitest'
import { maskVisitor, scrub } from '../../../src/relay/ops/log.js'

describe('visitor ids in logs', () => {
  it('become a fingerprint: the same for one visitor, another for the next, never the id', () => {
    const id = '3f1c2b4a-9d8e-4f7a-b6c5-d4e3f2a1b0c9'
    expect(maskVisitor(id)).toMatch(/^v#[\w-]{10}$/)
    expect(maskVisitor(id)).toBe(maskVisitor(id))
    expect(maskVisitor(id)).not.toBe(maskVisitor('3f1c2b4a-9d8e-4f7a-b6c5-d4e3f2a1b0ca'))
    expect(JSON.stringify(scrub({ visitor: id, visitorId: id, visitors: [id], id: 'event-1' }))).not.toContain(id)
    expect(scrub({ id: 'event-1' })).toEqual({ id: 'event-1' })
  })
})
