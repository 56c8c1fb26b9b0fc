import { describe, expect, it } from 'vitest'
import { createPacer } from '../../src/relay/pacer.js'

/** A fake clock whose sleeps advance time, optionally late like real timers. */
function fakeClock(lateMs = 0) {
  let t = 0
  return {
    now: () => t,
    sleep: async (ms: number) => {
      t += ms + lateMs
    },
    advance: (ms: number) => {
      t += ms
    },
  }
}

const busiestWindow = (times: number[], windowMs = 1000) => {
  let best = 0
  for (let i = 0, j = 0; i < times.length; i++) {
    // A hair of tolerance: the fake clock sums fractional intervals in floating point.
    while (times[j]! <= times[i]! - windowMs + 1e-6) j++
    best = Math.max(best, i - j + 1)
  }
  return best
}

async function run(rate: number, calls: number, clock: ReturnType<typeof fakeClock>, guardMs = 0) {
  const pacer = createPacer({ ratePerSec: rate, guardMs, now: clock.now, sleep: clock.sleep })
  const signal = new AbortController().signal
  const times: number[] = []
  await Promise.all(
    Array.from({ length: calls }, async () => {
      await pacer.take(signal)
      times.push(clock.now())
    }),
  )
  return times
}

describe('createPacer', () => {
  it.each([
    [300, 0],
    [300, 1.3],
    [7, 0],
    [350, 4],
  ])('keeps every 1 s window at or under %i calls, with timers %f ms late', async (rate, late) => {
    const times = await run(rate, rate * 4, fakeClock(late))
    expect(busiestWindow(times)).toBeLessThanOrEqual(rate)
  })

  it('runs close to the rate even when every timer fires late', async () => {
    const rate = 300
    const times = await run(rate, rate * 5, fakeClock(1.3))
    const perSecond = (times.length - 1) / ((times.at(-1)! - times[0]!) / 1000)
    expect(perSecond).toBeGreaterThan(rate * 0.95)
    // The window cap is checked above; the average may exceed the rate by the few catch-up slots at the start.
    expect(perSecond).toBeLessThan(rate * 1.01)
  })

  it('leaves room for the receiver’s jitter with a guard', async () => {
    const times = await run(100, 400, fakeClock(), 20)
    expect(busiestWindow(times, 1020)).toBeLessThanOrEqual(100)
  })

  it('spreads calls out instead of sending a whole second’s worth at once', async () => {
    const times = await run(100, 50, fakeClock())
    expect(busiestWindow(times, 100)).toBeLessThanOrEqual(12)
  })

  it('stops waiting when aborted', async () => {
    const pacer = createPacer({ ratePerSec: 1 })
    const controller = new AbortController()
    await pacer.take(controller.signal)
    const waiting = pacer.take(controller.signal)
    controller.abort(new Error('stopping'))
    await expect(waiting).rejects.toThrow('stopping')
  })
})
