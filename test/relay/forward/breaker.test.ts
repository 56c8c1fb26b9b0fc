import { describe, expect, it } from 'vitest'
import { createBreaker } from '../../../src/relay/forward/breaker.js'

function breakerAt(clock: { t: number }) {
  const opened: number[] = []
  const breaker = createBreaker({
    threshold: 3,
    baseMs: 1000,
    maxMs: 8000,
    now: () => clock.t,
    random: () => 1, // the top of each jittered step, so the steps are exact
    onOpen: (failures) => opened.push(failures),
  })
  return { breaker, opened }
}

describe('createBreaker', () => {
  it('stays closed until `threshold` failures in a row, and an answer resets the count', () => {
    const { breaker, opened } = breakerAt({ t: 0 })
    breaker.failed()
    breaker.failed()
    expect(breaker.answered()).toBe(false)
    breaker.failed()
    breaker.failed()
    expect(breaker.isOpen).toBe(false)
    breaker.failed()
    expect(breaker.isOpen).toBe(true)
    expect(opened).toEqual([3])
  })

  it('holds calls back while open, lets one probe through per step, and the steps double up to the maximum', async () => {
    const clock = { t: 0 }
    const { breaker } = breakerAt(clock)
    for (let i = 0; i < 3; i++) breaker.failed()
    expect(breaker.holds()).toBe(true)
    expect(breaker.waitMs()).toBe(1000)
    const waits: number[] = []
    for (let i = 0; i < 5; i++) {
      clock.t += breaker.waitMs()
      await breaker.probe(async () => expect(breaker.holds()).toBe(false))
      waits.push(breaker.waitMs())
    }
    expect(waits).toEqual([2000, 4000, 8000, 8000, 8000])
  })

  it('closes on the first answer and says so once', async () => {
    const { breaker } = breakerAt({ t: 0 })
    for (let i = 0; i < 3; i++) breaker.failed()
    await breaker.probe(async () => expect(breaker.answered()).toBe(true))
    expect(breaker.isOpen).toBe(false)
    expect(breaker.holds()).toBe(false)
    expect(breaker.answered()).toBe(false)
  })
})
