// @vitest-environment happy-dom
import { describe, expect, it, vi } from 'vitest'
import { LEASE } from '../../src/sdk/queue.js'
import { REPORT_AFTER } from '../../src/sdk/sender.js'
import { reloadPage } from './support/page.js'
import { closedPort, waitFor, waitUntilQuiet } from './support/relay-stub.js'
import { useTrackers, withoutJitter } from './support/trackers.js'

const { env, track } = useTrackers()
const relay = () => env.relay
const errors = env.errors
const stored = () => Object.keys(localStorage).filter((key) => key.startsWith('esputnik:q:'))
/** The failed attempts the one stored request counts (`f` of queue.ts's Stored). */
const failedAttempts = (): number => {
  const [key] = stored()
  return key ? (JSON.parse(localStorage.getItem(key)!).f ?? 0) : 0
}

describe('delivery that fails', () => {
  it('retries a batch the relay could not take (503), delivers it, then sends nothing more', async () => {
    withoutJitter()
    relay().failNext(503, 1)
    const id = track().productViewed({ productId: 'a', price: 1 })
    await waitFor(() => relay().received.length == 2, 3000)
    expect(relay().received.map((r) => r.body.events[0].id)).toEqual([id, id])
    // The stub records a request before it answers: the SDK removes the batch once the 202 is in.
    await waitFor(() => stored().length == 0)
    // A tracker that took the 202 for a failure would try again after backoff(2), 2 s.
    await waitUntilQuiet(() => relay().received.length, 2500)
    expect(relay().received).toHaveLength(2)
    expect(errors).toEqual([])
  })

  it('keeps events made while the relay is down through a page unload, and the next page sends them', async () => {
    relay().failNext(503, 1000)
    const tracker = track({ flushInterval: 60_000 })
    const id = tracker.productViewed({ productId: 'a', price: 1 })
    dispatchEvent(new Event('pagehide'))
    await waitFor(() => relay().received.length == 1)
    relay().failNext(503, 0)
    // The unload's send is leased for LEASE; the next page comes after it.
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(Date.now() + LEASE + 1)
    reloadPage()
    track()
    await waitFor(() => relay().events().some((e) => e.id == id))
  })

  it('logs each retry with its cause when debug is on', async () => {
    withoutJitter()
    const log = vi.spyOn(console, 'log').mockImplementation(() => {})
    relay().failNext(503, 1)
    track({ debug: true }).productViewed({ productId: 'a', price: 1 })
    await waitFor(() => relay().received.length == 2, 3000)
    const lines = log.mock.calls.map((args) => args.join(' '))
    expect(lines).toContainEqual(expect.stringMatching(/^\[esputnik\] retry HTTP 503$/))
  })
})

describe('onError', () => {
  it('is called once per event the relay refused, with the helper that made it, its id and the reason', async () => {
    relay().answerWith(({ body }) => ({
      status: 202,
      body: {
        accepted: 1,
        rejected: [
          { id: body.events[1].id, reason: 'cartUpdated: products[0].quantity must be a number' },
          { id: body.events[2].id, reason: 'searchRequest: search must be text' },
        ],
      },
    }))
    const tracker = track({ flushInterval: 60_000 })
    tracker.productViewed({ productId: 'a', price: 1 })
    const cart = tracker.cartUpdated({ products: [{ productId: 'a', quantity: 'two', price: 1 }] } as never)
    const search = tracker.searchRequest({ search: 42 } as never)
    await tracker.flush()
    expect(errors).toEqual([
      { method: 'cartUpdated', id: cart, reason: 'cartUpdated: products[0].quantity must be a number' },
      { method: 'searchRequest', id: search, reason: 'searchRequest: search must be text' },
    ])
  })

  it('is called for each event of a batch the relay refused whole (400), which is not sent again', async () => {
    relay().answerWith(() => ({ status: 400, body: { error: 'events must be a non-empty list' } }))
    const tracker = track({ flushInterval: 60_000 })
    const viewed = tracker.productViewed({ productId: 'a', price: 1 })
    const searched = tracker.searchRequest({ search: 'mug' })
    await tracker.flush()
    expect(errors).toEqual([
      { method: 'productViewed', id: viewed, reason: 'HTTP 400: events must be a non-empty list' },
      { method: 'searchRequest', id: searched, reason: 'HTTP 400: events must be a non-empty list' },
    ])
    await tracker.flush()
    expect(relay().received).toHaveLength(1)
  })

  it('names subscribe and its id when the relay refuses a subscribe', async () => {
    relay().answerWith(() => ({ status: 400, body: { error: 'email is not a valid email address' } }))
    const id = track().subscribe({ email: 'not an email' })
    await waitFor(() => errors.length == 1)
    expect(errors).toEqual([{ method: 'subscribe', id, reason: 'HTTP 400: email is not a valid email address' }])
  })

  it(`is called once a request has failed ${REPORT_AFTER} times in a row, and not again on that page`, async () => {
    relay().failNext(503, 1000)
    const id = track().productViewed({ productId: 'a', price: 1 })
    await waitFor(() => failedAttempts() == 1)
    // Back online, the tracker tries at once instead of waiting out its backoff.
    for (let attempt = 2; attempt <= REPORT_AFTER + 1; attempt++) {
      if (attempt == REPORT_AFTER + 1) expect(errors).toHaveLength(1)
      dispatchEvent(new Event('online'))
      await waitFor(() => failedAttempts() == attempt)
    }
    expect(relay().received.map((r) => r.body.events[0].id)).toEqual(Array(REPORT_AFTER + 1).fill(id))
    expect(errors).toEqual([{ method: 'send', reason: 'HTTP 503', ids: [id] }])
    expect(stored()).toHaveLength(1) // still kept, and retried
  })

  it('counts the failures across page loads, and a later page says so at its first failed try', async () => {
    relay().failNext(503, 1000)
    const id = track().productViewed({ productId: 'a', price: 1 })
    // Each page load sends at once what earlier ones left, long before their backoff (≥ 1 s) ends.
    for (let attempt = 1; attempt <= REPORT_AFTER + 1; attempt++) {
      if (attempt > 1) {
        reloadPage()
        track()
      }
      await waitFor(() => failedAttempts() == attempt)
      expect(errors).toHaveLength(attempt < REPORT_AFTER ? 0 : attempt - REPORT_AFTER + 1)
    }
    expect(errors).toEqual(Array(2).fill({ method: 'send', reason: 'HTTP 503', ids: [id] }))
  })

  it('reports a relay it cannot reach as a network error, with the ids the request carries', async () => {
    const endpoint = await closedPort()
    const tracker = track({ endpoint })
    const ids = [tracker.productViewed({ productId: 'a', price: 1 }), tracker.searchRequest({ search: 'mug' })]
    await waitFor(() => failedAttempts() == 1)
    for (let attempt = 2; attempt <= REPORT_AFTER; attempt++) {
      dispatchEvent(new Event('online'))
      await waitFor(() => failedAttempts() == attempt)
    }
    expect(errors).toEqual([{ method: 'send', reason: 'network error', ids }])
  })

  it('says it again on the same page when delivery fails anew after one went through', async () => {
    relay().failNext(503, REPORT_AFTER)
    const tracker = track()
    tracker.productViewed({ productId: 'a', price: 1 })
    await waitFor(() => failedAttempts() == 1)
    for (let attempt = 2; attempt <= REPORT_AFTER; attempt++) {
      dispatchEvent(new Event('online'))
      await waitFor(() => failedAttempts() == attempt)
    }
    dispatchEvent(new Event('online'))
    await waitFor(() => stored().length == 0) // delivered
    relay().failNext(503, 1000)
    const second = tracker.productViewed({ productId: 'b', price: 1 })
    await waitFor(() => failedAttempts() == 1)
    for (let attempt = 2; attempt <= REPORT_AFTER; attempt++) {
      dispatchEvent(new Event('online'))
      await waitFor(() => failedAttempts() == attempt)
    }
    expect(errors.map((error) => error.ids)).toEqual([[expect.any(String)], [second]])
  })
})

describe('which answers are retried', () => {
  it.each([408, 429, 500, 502, 503])('retries after %i and delivers the batch on the next try', async (status) => {
    withoutJitter()
    relay().failNext(status, 1)
    const id = track().productViewed({ productId: 'a', price: 1 })
    await waitFor(() => relay().received.length == 2, 3000)
    expect(relay().received.map((r) => r.body.events[0].id)).toEqual([id, id])
    // The stub records a request before it answers: the SDK removes the batch once the 202 is in.
    await waitFor(() => stored().length == 0)
    expect(errors).toEqual([])
  })

  it.each([400, 404, 413, 415])('drops the batch after %i and reports it', async (status) => {
    relay().answerWith(() => ({ status, body: { error: 'no' } }))
    const id = track().productViewed({ productId: 'a', price: 1 })
    await waitFor(() => errors.length == 1)
    expect(errors).toEqual([{ method: 'productViewed', id, reason: `HTTP ${status}: no` }])
    expect(stored()).toEqual([])
  })
})
