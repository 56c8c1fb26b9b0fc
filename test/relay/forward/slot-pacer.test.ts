import { describe, expect, it } from 'vitest'
import { createSlotPacer } from '../../../src/relay/forward/slot-pacer.js'

const WINDOW = 1020
const signal = new AbortController().signal

describe('the pacer of a shared budget, over the slots a node holds', () => {
  it('starts a call on a slot only a window after the last call on it ended, and never on a slot given back', async () => {
    const pacer = createSlotPacer({ windowMs: WINDOW, timeoutMs: 1000 })
    const t0 = performance.now()
    pacer.grant(0, t0, t0 + 60_000)
    pacer.grant(1, t0, t0 + 60_000)
    const first = await pacer.take(signal)
    const second = await pacer.take(signal)
    first()
    const endedAt = performance.now()
    second()
    expect(pacer.yieldSlots(1)).toEqual([{ slot: 1, freeAt: expect.any(Number) }])
    await pacer.take(signal)
    // Slot 1 went back, so the third call waited for slot 0, a window after its call ended.
    expect(performance.now() - endedAt).toBeGreaterThanOrEqual(WINDOW - 1)
    expect(pacer.slotIds()).toEqual([0])
  })

  it('starts no call whose answer could come after the slot’s lease ends, and says it waited for a slot', async () => {
    const pacer = createSlotPacer({ windowMs: WINDOW, timeoutMs: 1000 })
    const t0 = performance.now()
    pacer.grant(0, t0, t0 + 500)
    const stop = new AbortController()
    const turn = pacer.take(stop.signal)
    let started = false
    void turn.then(() => (started = true), () => undefined)
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect(started).toBe(false)
    pacer.renew(0, performance.now() + 5000)
    await turn
    // One call in the ~100 ms since it was made: about ten a window at that pace.
    const first = pacer.demand()
    expect(first.hungry).toBe(true)
    expect(first.recentStarts).toBeGreaterThanOrEqual(1)
    // Nothing started since: it asks for nothing more.
    expect(pacer.demand()).toEqual({ hungry: false, recentStarts: 0 })
  })

  it('does not use slots above the rate once the rate went down, and gives them back when idle', async () => {
    const pacer = createSlotPacer({ windowMs: WINDOW, timeoutMs: 1000 })
    const t0 = performance.now()
    for (let n = 0; n < 4; n++) pacer.grant(n, t0, t0 + 60_000)
    pacer.retireFrom(2)
    expect(pacer.held()).toEqual({ all: 4, usable: 2 })
    expect(pacer.yieldSlots(0).map((s) => s.slot).sort()).toEqual([2, 3])
    expect(pacer.held()).toEqual({ all: 2, usable: 2 })
  })
})
