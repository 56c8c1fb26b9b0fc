import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { formatOccurred } from '../../../src/relay/esputnik/past-events.js'
import type { RecordedRequest } from '../../../src/relay/sandbox/recorder.js'
import type { WireEvent } from '../../../src/wire/types.js'
import { upstreamBodyErrors } from '../../support/openapi.js'
import { batchOf, startTestRelay, stoppedAfterEach, waitFor, wireEvent, type TestRelay } from '../helpers.js'
import { relayStoresDroppedAfterEach } from '../stores.js'

const DAY = 86_400_000
const PAST = '/api/v2/past_events'
const EVENT = '/api/v2/event'

type PastBody = { events: { eventTypeKey: string; keyValue: string; occurred: string; params: { name: string; value: string }[] }[] }
type Results = { results: { status: string }[] }
const eventsOf = (r: RecordedRequest) => (r.body as PastBody).events
const param = (params: { name: string; value: string }[], name: string) => params.find((p) => p.name == name)?.value
/** Each event eSputnik took, by its search term, over every Past events call. */
function acceptedSearches(calls: RecordedRequest[]): string[] {
  return calls.flatMap((r) =>
    r.status == 200 ? eventsOf(r).filter((_, i) => (r.reply as Results).results[i]?.status == 'ACCEPTED').map((e) => param(e.params, 'search')!) : [],
  )
}

const STORES = relayStoresDroppedAfterEach()
const start = stoppedAfterEach(startTestRelay)

describe.each(STORES)('replay by age on %s', (_name, storeEnv) => {
  /** A relay that holds anonymous events and replays by age (REPLAY_MODE=auto, 30 minutes: the defaults). */
  async function relayWith(env: Record<string, string> = {}, logs?: string[]) {
    const logStream = logs && { write: (line: string) => void logs.push(line) }
    return start({
      env: { ...(await storeEnv()), ANONYMOUS_EVENTS: 'hold', SUBSCRIBE_RATE_PER_VISITOR: '1000', ...(logs ? { LOG_LEVEL: 'info' } : {}), ...env },
      ...(logStream ? { deps: { logStream } } : {}),
    })
  }
  const searches = (visitor: string, count: number, from: number, step = 60_000): WireEvent[] =>
    Array.from({ length: count }, (_, i) => wireEvent('searchRequest', { search: `${visitor}/${i}` }, { ts: from + i * step }))
  async function subscribe(relay: TestRelay, visitor: string) {
    const res = await relay.post('/v1/subscribe', { v: 1, id: randomUUID(), ts: Date.now(), visitor, email: `${visitor}@example.com` })
    expect(res.status).toBe(202)
  }
  const counts = (relay: TestRelay) => relay.app.relay.store.counts()
  const settled = (relay: TestRelay, sent: number) =>
    waitFor(async () => {
      const c = await counts(relay)
      return c.queued == 0 && c.held == 0 && c.sent + c.dead == sent && c
    }, `${sent} jobs settled`, 15_000)

  it('sends a 3-day-old history as past events with occurred, and makes no Generate event call', async () => {
    const relay = await relayWith()
    const history = searches('visitor-old', 6, Date.now() - 3 * DAY)
    // Out of ts order, in two batches: the call has them in the order they happened.
    expect((await relay.send(batchOf('visitor-old', [...history].reverse().slice(0, 3)))).status).toBe(202)
    expect((await relay.send(batchOf('visitor-old', [...history].reverse().slice(3)))).status).toBe(202)
    await subscribe(relay, 'visitor-old')
    await settled(relay, 7)
    const [call, ...more] = await relay.recorded(PAST)
    expect(more).toEqual([])
    expect(call!.status).toBe(200)
    expect(eventsOf(call!).map((e) => [param(e.params, 'search'), e.occurred, e.keyValue])).toEqual(
      history.map((e) => [(e.data as { search: string }).search, formatOccurred(e.ts, e.ts), '100001']),
    )
    expect(param(eventsOf(call!)[0]!.params, 'email')).toBe('visitor-old@example.com')
    expect(upstreamBodyErrors(PAST, call!.body)).toEqual([])
    expect(await relay.recorded(EVENT)).toEqual([])
  })

  it('sends a cart of ten minutes ago through Generate event, after the past events', async () => {
    const relay = await relayWith()
    const old = searches('visitor-cart', 3, Date.now() - 3 * DAY)
    const cart = wireEvent('cartUpdated', { products: [{ productId: 'WS01', quantity: 1, price: 45.5 }], recycleStateId: 'cart-7' }, { ts: Date.now() - 10 * 60_000 })
    await relay.send(batchOf('visitor-cart', [cart, ...old]))
    await subscribe(relay, 'visitor-cart')
    await settled(relay, 5)
    const [past] = await relay.recorded(PAST)
    const [live, ...more] = await relay.recorded(EVENT)
    expect(more).toEqual([])
    expect(eventsOf(past!)).toHaveLength(3)
    expect(live!.body).toMatchObject({ eventTypeKey: 'cartUpdated', keyValue: '100001' })
    expect(param((live!.body as PastBody['events'][number]).params, 'occurredAt')).toBe(new Date(cart.ts).toISOString())
    expect(live!.seq).toBeGreaterThan(past!.seq)
  })

  it('dead-letters the one event eSputnik refuses in a past-events call, with its status, and loses none of the others', async () => {
    const relay = await relayWith()
    await relay.faults({ pastStatus: { status: 'OCCURRED_TIME_TOO_DEPTH', match: 'visitor-bad/2"' } })
    const history = searches('visitor-bad', 5, Date.now() - 3 * DAY)
    await relay.send(batchOf('visitor-bad', history))
    await subscribe(relay, 'visitor-bad')
    await settled(relay, 6)
    const dead = await relay.app.relay.store.listDeadLetters()
    expect(dead).toMatchObject([{ id: history[2]!.id, status: 200, reason: 'eSputnik refused the past event: OCCURRED_TIME_TOO_DEPTH' }])
    expect(acceptedSearches(await relay.recorded(PAST))).toEqual(['visitor-bad/0', 'visitor-bad/1', 'visitor-bad/3', 'visitor-bad/4'])
  })

  it('splits a past-events call refused as a whole down to the bad event, and sends every other event once', async () => {
    const relay = await relayWith()
    await relay.faults({ pastRefuse: 'visitor-split/5"' })
    const history = searches('visitor-split', 8, Date.now() - 3 * DAY)
    await relay.send(batchOf('visitor-split', history))
    await subscribe(relay, 'visitor-split')
    await settled(relay, 9)
    expect(await relay.app.relay.store.listDeadLetters()).toMatchObject([{ id: history[5]!.id, status: 400 }])
    expect(acceptedSearches(await relay.recorded(PAST)).sort()).toEqual(history.filter((_, i) => i != 5).map((e) => (e.data as { search: string }).search).sort())
  })

  it('pauses only past events on EVENT_SEGMENTATION_DISABLED, says so in /readyz and the log, and sends them once it is on', async () => {
    const logs: string[] = []
    const relay = await relayWith({}, logs)
    await relay.faults({ pastStatus: { status: 'EVENT_SEGMENTATION_DISABLED' } })
    await relay.send(batchOf('visitor-seg', searches('visitor-seg', 3, Date.now() - 3 * DAY)))
    await subscribe(relay, 'visitor-seg')
    const ready = await waitFor(async () => {
      const body = (await (await fetch(`${relay.url}/readyz`)).json()) as { paused: { operation: string }[]; warnings: string[] }
      return body.paused.length > 0 && body
    }, 'the pause in /readyz')
    expect(ready.paused.map((p) => p.operation)).toEqual(['past-events'])
    expect(ready.warnings).toEqual([expect.stringMatching(/^past-events paused until .*: eSputnik answered EVENT_SEGMENTATION_DISABLED: .*REPLAY_MODE=live/)])
    expect(logs.some((line) => /past-events paused for .* EVENT_SEGMENTATION_DISABLED/.test(line))).toBe(true)
    // A live event of the now linked visitor goes on; its history waits queued.
    const live = wireEvent('searchRequest', { search: 'visitor-seg/live' }, { ts: Date.now() })
    await relay.send(batchOf('visitor-seg', [live]))
    await waitFor(async () => (await relay.delivered()).length == 1, 'the live event')
    // eSputnik's answer is recorded a moment after the sandbox has the call: wait for the live event's commit.
    await waitFor(async () => (await counts(relay)).queued == 3, 'the live event recorded as sent')
    expect(await counts(relay)).toMatchObject({ queued: 3, dead: 0 })
    // The shop turns segmentation on: after the pause the history goes, once.
    await relay.faults({})
    await settled(relay, 5)
    expect(acceptedSearches(await relay.recorded(PAST))).toEqual(['visitor-seg/0', 'visitor-seg/1', 'visitor-seg/2'])
  })
})
