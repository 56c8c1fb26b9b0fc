// @vitest-environment happy-dom
import { beforeEach, describe, expect, it } from 'vitest'
import { DEFAULTS, type ResolvedOptions } from '../../src/sdk/options.js'
import { backoff, createQueue, LEASE } from '../../src/sdk/queue.js'
import { createStorage } from '../../src/sdk/storage.js'

const dropped: unknown[] = []
const debug = (...args: unknown[]) => dropped.push(args)
const queueWith = (limits: Partial<ResolvedOptions> = {}) =>
  createQueue(createStorage(), { ...DEFAULTS, endpoint: '/', ...limits } as ResolvedOptions, debug)
const bodyOf = (claimed: ReturnType<ReturnType<typeof queueWith>['claim']>) => claimed && JSON.parse(claimed[1].b)

beforeEach(() => {
  localStorage.clear()
  dropped.length = 0
})

describe('createQueue', () => {
  it('gives back stored requests oldest first, each once while its lease lasts', () => {
    const queue = queueWith()
    queue.keep('e', '{"n":1}', 1)
    queue.keep('subscribe', '{"n":2}', 0)
    const now = Date.now()
    const first = queue.claim(now)!
    const second = queue.claim(now)!
    expect([bodyOf(first), bodyOf(second)]).toEqual([{ n: 1 }, { n: 2 }])
    expect([first[1].p, second[1].p]).toEqual(['e', 'subscribe'])
    expect(queue.claim(now)).toBeNull() // both leased: nothing free, something stored
  })

  it('answers undefined when nothing is stored at all', () => {
    expect(queueWith().claim(Date.now())).toBeUndefined()
  })

  it('keeps requests in localStorage, so a queue made on the next page load finds them', () => {
    queueWith().keep('e', '{"n":1}', 1)
    expect(bodyOf(queueWith().claim(Date.now()))).toEqual({ n: 1 })
  })

  it('frees a leased request once its lease has run out, so a closed tab loses nothing', () => {
    const queue = queueWith()
    queue.keep('e', '{"n":1}', 1)
    const now = Date.now()
    queue.claim(now)
    expect(queue.claim(now + LEASE - 1)).toBeNull()
    expect(bodyOf(queue.claim(now + LEASE + 1))).toEqual({ n: 1 })
  })

  it('forgets a request once removed', () => {
    const queue = queueWith()
    queue.keep('e', '{"n":1}', 1)
    queue.settle(queue.claim(Date.now())![0])
    expect(queue.claim(Date.now() + 2 * LEASE)).toBeUndefined()
  })

  it('drops the oldest requests when more events than maxQueueEvents wait, with a debug message', () => {
    const queue = queueWith({ maxQueueEvents: 5 })
    for (let n = 1; n <= 4; n++) queue.keep('e', JSON.stringify({ n }), 2)
    const kept: number[] = []
    for (let next; (next = queue.claim(Date.now())); ) kept.push(bodyOf(next).n)
    expect(kept).toEqual([3, 4])
    expect(dropped).toHaveLength(2)
  })

  it('drops the oldest requests when they hold more than maxQueueBytes', () => {
    // Each body is 96 characters: three fit in 300 bytes, four do not.
    const queue = queueWith({ maxQueueBytes: 300 })
    for (let n = 1; n <= 5; n++) queue.keep('e', JSON.stringify({ n, pad: 'x'.repeat(80) }), 1)
    const kept: number[] = []
    for (let next; (next = queue.claim(Date.now())); ) kept.push(bodyOf(next).n)
    expect(kept).toEqual([3, 4, 5])
  })

  it('clear forgets every stored request and nothing else', () => {
    localStorage.setItem('site:key', 'kept')
    const queue = queueWith()
    queue.keep('e', '{"n":1}', 1)
    queue.wipe()
    expect(queue.claim(Date.now())).toBeUndefined()
    expect(localStorage.getItem('site:key')).toBe('kept')
  })
})

describe('backoff', () => {
  it('doubles from about a second to at most five minutes, with jitter below the step', () => {
    for (let failures = 0; failures < 12; failures++) {
      const step = Math.min(300e3, 1000 * 2 ** failures)
      for (let i = 0; i < 50; i++) {
        const delay = backoff(failures)
        expect(delay).toBeGreaterThanOrEqual(step / 2)
        expect(delay).toBeLessThanOrEqual(step)
      }
    }
  })
})
