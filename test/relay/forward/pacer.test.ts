import { describe, expect, it } from 'vitest'
import { createPacer } from '../../../src/relay/forward/pacer.js'

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

/** A virtual clock with a timer queue, so concurrent sleeps interleave as real ones would. */
function virtualClock() {
  let t = 0
  let seq = 0
  const timers: { at: number; seq: number; fire: () => void }[] = []
  return {
    now: () => t,
    sleep: (ms: number) =>
      new Promise<void>((resolve) => {
        timers.push({ at: t + Math.max(0, ms), seq: seq++, fire: resolve })
      }),
    /** Runs timers in time order until `until` settles. */
    async drive(until: Promise<unknown>) {
      let finished = false
      void until.finally(() => (finished = true))
      while (!finished) {
        await new Promise((resolve) => setImmediate(resolve))
        if (!timers.length) continue
        timers.sort((a, b) => a.at - b.at || a.seq - b.seq)
        const next = timers.shift()!
        t = Math.max(t, next.at)
        next.fire()
      }
      await until
    },
  }
}

/** mulberry32: a small seeded random, so a failure can be replayed. */
function seeded(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0
    let x = Math.imul(seed ^ (seed >>> 15), 1 | seed)
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296
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
      const done = await pacer.take(signal)
      times.push(clock.now())
      done()
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

  it('waits one window after it is created before the first call', async () => {
    const clock = fakeClock()
    const times = await run(50, 10, clock, 20)
    expect(times[0]).toBeGreaterThanOrEqual(1020)
  })

  it('caps the calls ending (so arriving) in any 1 s window when each call takes 0–200 ms', async () => {
    const rate = 100
    const clock = virtualClock()
    const random = seeded(20261123)
    const pacer = createPacer({ ratePerSec: rate, guardMs: 20, startDelayMs: 0, now: clock.now, sleep: clock.sleep })
    const signal = new AbortController().signal
    const starts: number[] = []
    const arrivals: number[] = []
    let left = rate * 5
    // 16 workers, as the forwarder's concurrency: take, call, and report the end.
    const worker = async () => {
      while (left-- > 0) {
        const done = await pacer.take(signal)
        starts.push(clock.now())
        await clock.sleep(random() * 200)
        arrivals.push(clock.now()) // received at the latest when it ends
        done()
      }
    }
    await clock.drive(Promise.all(Array.from({ length: 16 }, worker)))
    arrivals.sort((a, b) => a - b)
    expect(arrivals).toHaveLength(rate * 5)
    expect(busiestWindow(arrivals)).toBeLessThanOrEqual(rate)
    // Still near the cap: the window grows by about one call's latency, not more.
    const perSecond = (arrivals.length - 1) / ((arrivals.at(-1)! - arrivals[0]!) / 1000)
    expect(perSecond).toBeGreaterThan(rate * 0.75)
    expect(busiestWindow(starts, 100)).toBeLessThanOrEqual(15) // still spread out
  })

  it('stops waiting when aborted', async () => {
    const pacer = createPacer({ ratePerSec: 1, startDelayMs: 0 })
    const controller = new AbortController()
    ;(await pacer.take(controller.signal))()
    const waiting = pacer.take(controller.signal)
    controller.abort(new Error('stopping'))
    await expect(waiting).rejects.toThrow('stopping')
  })
})
