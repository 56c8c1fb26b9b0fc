// Node, not happy-dom: the npm build imported during server-side rendering.
import { describe, expect, it } from 'vitest'
import { createTracker, DEFAULTS, EVENT_TYPES } from '../../src/sdk/index.js'

describe('the npm entry without a browser (SSR)', () => {
  it('imports without touching window, and gives a tracker that does nothing', async () => {
    expect(typeof window).toBe('undefined')
    const tracker = createTracker({ endpoint: 'https://relay.example.com' })
    for (const type of EVENT_TYPES) expect((tracker as any)[type]({})).toBe('')
    expect(tracker.subscribe({ email: 'a@b.co' })).toBe('')
    expect(tracker.track('quizCompleted', { score: 8 })).toBe('')
    expect(tracker.purchased({ orderId: 'o-1', totalCost: 1, items: [] })).toBe('')
    await expect(tracker.telegramLink()).resolves.toBe('')
    expect(tracker.visitorId).toBe('')
    expect(tracker.cart.id).toBe('')
    await expect(tracker.flush()).resolves.toBeUndefined()
    expect(Object.isFrozen(tracker)).toBe(true)
  })

  it('fails fast when the endpoint is missing, the one misuse it throws for', () => {
    expect(() => createTracker({} as never)).toThrow(/endpoint is required/)
  })

  it('documents its defaults in one object', () => {
    expect(DEFAULTS).toMatchObject({ cookieName: 'sc', cookieDays: 400, batchSize: 20, flushInterval: 1000 })
  })
})
