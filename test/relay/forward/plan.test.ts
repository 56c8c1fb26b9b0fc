import { describe, expect, it } from 'vitest'
import { MappingError } from '../../../src/relay/esputnik/errors.js'
import type { Operation } from '../../../src/relay/esputnik/operation.js'
import { planCalls, splitCall } from '../../../src/relay/forward/plan.js'
import type { EventJob, Job } from '../../../src/relay/store/types.js'
import { wireEvent } from '../helpers.js'

const job = (n: number, search: string): EventJob => ({
  seq: n,
  id: `event-${String(n).padStart(4, '0')}`,
  visitor: 'visitor-plan-1',
  locators: null,
  replay: false,
  past: false,
  attempts: 0,
  receivedAt: n,
  queuedAt: n,
  kind: 'event',
  event: wireEvent('searchRequest', { search }),
})
const searchOf = (j: Job) => (j.kind == 'event' ? (j.event.data as { search: string }).search : '')

/** Takes searches starting with `app-`, three a call, never two apps in one call; refuses `bad`. */
const tokens: Operation<string, string[], EventJob> = {
  name: 'test-tokens',
  budget: 'subscribe',
  maxBatch: 3,
  accepts: (j): j is EventJob => searchOf(j).startsWith('app-') || searchOf(j) == 'bad',
  toItem: (j) => {
    if (searchOf(j) == 'bad') throw new MappingError('eSputnik would refuse this token')
    return searchOf(j)
  },
  batchKey: (item) => item.split('/')[0]!,
  toBody: (items) => items,
  send: () => Promise.reject(new Error('not called')),
}
const context = { replayOccurredAt: true, replayMode: 'auto' as const, now: 0 }

describe('planCalls', () => {
  it('cuts one operation’s items into calls of at most maxBatch, never mixing batch keys, in claim order', () => {
    const jobs = ['app-a/1', 'app-b/1', 'app-a/2', 'app-a/3', 'app-a/4', 'app-b/2'].map((s, i) => job(i, s))
    const { calls, refused } = planCalls(jobs, [tokens], context)
    expect(refused).toEqual([])
    expect(calls.map((c) => c.items)).toEqual([['app-a/1', 'app-a/2', 'app-a/3'], ['app-b/1', 'app-b/2'], ['app-a/4']])
    expect(calls[0]!.jobs.map((j) => j.id)).toEqual(['event-0000', 'event-0002', 'event-0003'])
  })

  it('refuses a job no operation carries, and one whose body eSputnik would refuse, without a call', () => {
    const jobs = [job(0, 'app-a/1'), job(1, 'mug'), job(2, 'bad')]
    const { calls, refused } = planCalls(jobs, [tokens], context)
    expect(calls.map((c) => c.items)).toEqual([['app-a/1']])
    expect(refused.map((r) => [r.job.id, r.reason])).toEqual([
      ['event-0001', 'no upstream operation carries this event job'],
      ['event-0002', 'eSputnik would refuse this token'],
    ])
  })

  it('splits a call into halves that keep jobs and items paired', () => {
    const [call] = planCalls([0, 1, 2].map((i) => job(i, `app-a/${i}`)), [tokens], context).calls
    const [first, second] = splitCall(call!)
    expect([first.items, second.items]).toEqual([['app-a/0', 'app-a/1'], ['app-a/2']])
    expect(second.jobs.map((j) => j.id)).toEqual(['event-0002'])
  })
})
