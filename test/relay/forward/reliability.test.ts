import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { createSqliteStore } from '../../../src/relay/store/sqlite.js'
import { stoppedAfterEach, batchOf, startTestRelay, waitFor, wireEvent, type TestRelay } from '../helpers.js'

const start = stoppedAfterEach(startTestRelay)

const statuses = async (relay: TestRelay) => (await relay.recorded('/api/v2/event')).map((r) => r.status)
/** The search term of a recorded Generate event call: each test event carries its own. */
const searchOf = (r: { body: unknown }) => (r.body as { params: { name: string; value: unknown }[] }).params.find((p) => p.name == 'search')?.value
const readyz = async (relay: TestRelay) => (await fetch(`${relay.url}/readyz`)).status
/** /readyz's body: a pause is named in `paused` and `warnings`, and keeps the node in rotation (200). */
const readiness = async (relay: TestRelay) =>
  (await (await fetch(`${relay.url}/readyz`)).json()) as { ready: boolean; warnings: string[]; paused: { operation: string }[] }

describe('when eSputnik fails', () => {
  it.each([
    [500, 2],
    [503, 1],
    [429, 2],
    [408, 1],
  ])('retries an event answered %i (%i times) and delivers it', async (status, count) => {
    const relay = await start()
    await relay.faults({ status, count })
    await relay.send(batchOf('visitor-retry-1', [wireEvent('pageViewed', {})]))
    await waitFor(async () => (await relay.delivered()).length == 1, 'the delivery')
    expect(await statuses(relay)).toEqual([...Array(count).fill(status), 200])
    expect(await relay.app.relay.store.counts()).toMatchObject({ dead: 0 })
  })

  it('retries after a reset connection and delivers', async () => {
    const relay = await start()
    await relay.faults({ resets: 1 })
    await relay.send(batchOf('visitor-reset-1', [wireEvent('pageViewed', {})]))
    await waitFor(async () => (await relay.delivered()).length == 1, 'the delivery')
    expect(await statuses(relay)).toEqual([0, 200])
  })

  it('moves an event answered 400 to dead letters with status and body, and delivers it when replayed', async () => {
    const relay = await start()
    await relay.faults({ status: 400, count: 1 })
    const event = wireEvent('searchRequest', { search: 'mug' })
    await relay.send(batchOf('visitor-dead-1', [event]))
    const { store, forwarder } = relay.app.relay
    const [dead] = await waitFor(() => store.listDeadLetters(), 'a dead letter')
    expect(dead).toMatchObject({ id: event.id, status: 400, type: 'searchRequest', reason: 'eSputnik answered 400: Injected fault 400' })
    expect(await statuses(relay)).toEqual([400])

    expect(await store.replayDeadLetters('all', Date.now())).toBe(1)
    forwarder.wake()
    await waitFor(async () => (await relay.delivered()).length == 1, 'the replayed delivery')
    // eSputnik has it; the relay records the send just after its answer.
    await waitFor(async () => (await store.counts()).sent == 1, 'the send to be recorded')
    expect(await store.counts()).toMatchObject({ dead: 0, sent: 1 })
  })

  it('refuses at ingest an event that would break eSputnik’s 20 KB rule, with the reason in the answer, and calls eSputnik for nothing', async () => {
    const relay = await start()
    const products = Array.from({ length: 40 }, (_, i) => ({ productId: `sku-${i}`, quantity: 1, price: 9.5, name: 'n'.repeat(600) }))
    const event = wireEvent('cartUpdated', { products, recycleStateId: 'cart-1' })
    const res = await relay.send(batchOf('visitor-big-1', [event]))
    expect(res.status).toBe(202)
    const answer = (await res.json()) as { accepted: number; rejected: { id: string; reason: string }[] }
    expect(answer.accepted).toBe(0)
    expect(answer.rejected).toEqual([{ id: event.id, reason: expect.stringMatching(/^cartUpdated: event is too big: .* at most 20480$/) }])
    expect(await relay.app.relay.store.counts()).toMatchObject({ queued: 0, held: 0, dead: 0 })
    expect(await relay.recorded()).toEqual([])
  })

  it('pauses on 401 without losing events, names the pause in /readyz (still 200), and resumes by itself', async () => {
    // Long enough that the checks made during the pause, up to the counts below, are done
    // before it ends even on a slow machine: once it ends, the forwarder sends the queued events.
    const pauseMs = 1500
    const relay = await start({ config: { authPauseMs: pauseMs } })
    await relay.faults({ status: 401, count: 1 })
    await relay.send(batchOf('visitor-auth-1', [wireEvent('pageViewed', {})]))
    const ready = await waitFor(async () => {
      const body = await readiness(relay)
      return body.paused.length > 0 && body
    }, 'the pause in /readyz')
    expect(ready.ready).toBe(true)
    expect(ready.warnings.join()).toMatch(/refused the API key/)
    expect(await readyz(relay)).toBe(200)

    // Events keep being accepted while paused; none is sent or dropped.
    await relay.send(batchOf('visitor-auth-2', [wireEvent('pageViewed', {}), wireEvent('pageViewed', {})]))
    expect(await relay.app.relay.store.counts()).toMatchObject({ queued: 3, sent: 0, dead: 0 })

    await waitFor(async () => (await relay.delivered()).length == 3, 'all three after the pause', 5000)
    expect((await readiness(relay)).paused).toEqual([])
    const [refused, ...rest] = await relay.recorded('/api/v2/event')
    expect(refused!.status).toBe(401)
    // Nothing went upstream during the pause.
    for (const r of rest) expect(r.at - refused!.at).toBeGreaterThanOrEqual(pauseMs - 50)
  })

  it('pauses only the operation that got the 401: a subscribe still goes through, and /readyz names the paused one', async () => {
    const relay = await start({ config: { authPauseMs: 60_000 } })
    await relay.faults({ status: 401, count: 1 })
    await relay.send(batchOf('visitor-auth-3', [wireEvent('pageViewed', {})]))
    await waitFor(async () => (await readiness(relay)).paused.length > 0, 'the pause in /readyz')
    const subscribe = { v: 1, id: 'subscribe-auth-0001', ts: Date.now(), visitor: 'visitor-auth-3', email: 'paused@example.com' }
    expect((await relay.post('/v1/subscribe', subscribe)).status).toBe(202)
    await waitFor(async () => (await relay.recorded('/api/v1/contact/subscribe')).some((r) => r.status == 200), 'the subscribe to go through')
    const ready = await readiness(relay)
    expect(ready.paused.map((p) => p.operation)).toEqual(['event-v2'])
    expect(ready.warnings).toEqual([expect.stringMatching(/^event-v2 paused until .*: eSputnik refused the API key \(401\)/)])
    expect(await readyz(relay)).toBe(200)
    expect(await statuses(relay)).toEqual([401])
    const text = await (await fetch(`${relay.url}/metrics`)).text()
    expect(text).toContain('esputnik_relay_upstream_paused{operation="event-v2"} 1')
    expect(text).toContain('esputnik_relay_upstream_paused{operation="subscribe"} 0')
  })

  it('never sends more than UPSTREAM_RATE_PER_SEC calls in any 1 s window, however big the backlog', async () => {
    const rate = 100
    const total = 250
    // The pacer's promise is about when calls leave: record each call's start
    // over real HTTP. Receive times in this same process bunch up whenever the
    // CPU is starved (other test runs), which says nothing about the pacer.
    const sentAt: number[] = []
    const observed: typeof fetch = (...args) => {
      if (String(args[0]).endsWith('/api/v2/event')) sentAt.push(performance.now())
      return fetch(...args)
    }
    const relay = await start({
      env: { UPSTREAM_RATE_PER_SEC: String(rate) },
      config: { autoStart: false },
      deps: { fetch: observed },
    })
    for (let i = 0; i < total / 50; i++) {
      const events = Array.from({ length: 50 }, () => wireEvent('pageViewed', {}))
      expect((await relay.send(batchOf(`visitor-backlog-${i}`, events))).status).toBe(202)
    }
    relay.app.relay.forwarder.start()
    const delivered = await waitFor(async () => {
      const list = await relay.delivered()
      return list.length == total && list
    }, 'the backlog', 15_000)
    expect(delivered).toHaveLength(total)
    const times = [...sentAt].sort((a, b) => a - b)
    let busiest = 0
    for (let i = 0, j = 0; i < times.length; i++) {
      while (times[j]! <= times[i]! - 1000) j++
      busiest = Math.max(busiest, i - j + 1)
    }
    expect(busiest).toBeLessThanOrEqual(rate)
    expect(busiest).toBeGreaterThan(rate * 0.8) // paced near the cap, not far below it
    const spanMs = times.at(-1)! - times[0]!
    expect(spanMs).toBeGreaterThanOrEqual(((total - 1) * 1000) / rate - 50)
  }, 20_000)

  it('stops hammering an eSputnik that keeps failing (one probe per backoff step), and drains everything once it answers', async () => {
    const total = 60
    const outageMs = 2000
    const relay = await start({ config: { autoStart: false, retryBaseMs: 50, retryMaxMs: 2000 } })
    // Generate event bodies carry no event id, so each event carries a search term of its own to be counted by.
    const terms = Array.from({ length: total }, (_, n) => `outage-${String(n).padStart(3, '0')}`)
    for (let i = 0; i < total / 30; i++) {
      const events = terms.slice(i * 30, (i + 1) * 30).map((search) => wireEvent('searchRequest', { search }))
      expect((await relay.send(batchOf(`visitor-outage-${i}`, events))).status).toBe(202)
    }
    // Real HTTP to the sandbox, answering 500 until told otherwise.
    await relay.faults({ status: 500, count: 1_000_000 })
    relay.app.relay.forwarder.start()
    await waitFor(async () => (await statuses(relay)).length >= 20, 'the first failures')
    await new Promise((resolve) => setTimeout(resolve, outageMs)) // the outage goes on
    const failed = (await statuses(relay)).filter((s) => s == 500).length
    await relay.faults({})
    const recoveredAt = performance.now()
    const delivered = await waitFor(async () => {
      const list = await relay.delivered()
      return list.length >= total && list
    }, 'the backlog after recovery', 8000)
    const drainMs = performance.now() - recoveredAt

    // Without the breaker each event retries on its own (backoff 50 ms → 2 s):
    // about total × 6 = 360 failing calls in this outage. With it: the 20 that
    // open it, the calls already in flight, then one probe per step.
    expect(failed).toBeGreaterThanOrEqual(20)
    expect(failed).toBeLessThan(total + 20)
    // The next probe is at most one step (≤ 2 s) away, then everything is due at once.
    expect(drainMs).toBeLessThan(3500)
    // Nothing lost, nothing twice: eSputnik accepted each event exactly once.
    expect(delivered.map(searchOf).sort()).toEqual(terms)
    // The last answers reach eSputnik's side a moment before the relay records them.
    await waitFor(async () => (await relay.app.relay.store.counts()).queued == 0, 'the last sends to be recorded')
    expect(await relay.app.relay.store.counts()).toMatchObject({ queued: 0, sent: total, dead: 0 })
  }, 20_000)

  it('finishes the calls in flight when closed, and records them as sent', async () => {
    // eSputnik here is another relay's sandbox, so closing this relay cannot close it too.
    const upstream = await start()
    await upstream.faults({ latencyMs: 300 })
    let calls = 0
    // Real HTTP; the wrapper only lets the test see when the call has started.
    const observed: typeof fetch = (...args) => {
      calls++
      return fetch(...args)
    }
    const relay = await startTestRelay({
      env: { ESPUTNIK_API_KEY: 'test-key', ESPUTNIK_BASE_URL: `${upstream.url}/sandbox` },
      deps: { fetch: observed },
    })
    await relay.send(batchOf('visitor-close-1', [wireEvent('pageViewed', {})]))
    await waitFor(() => calls == 1, 'the call to start')
    await relay.stop(true)
    expect(await upstream.delivered()).toHaveLength(1)
    const store = createSqliteStore({ path: join(relay.dir, 'relay.db') })
    expect(await store.counts()).toMatchObject({ sent: 1, queued: 0 })
    await store.close()
    rmSync(relay.dir, { recursive: true, force: true })
  })
})
