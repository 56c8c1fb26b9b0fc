import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { loadConfig } from '../../../src/relay/ops/config.js'
import { createEsputnikClient } from '../../../src/relay/esputnik/client.js'
import type { ItemResult, Operation } from '../../../src/relay/esputnik/operation.js'
import { createForwarder, type Forwarder } from '../../../src/relay/forward/forwarder.js'
import { createMetrics } from '../../../src/relay/ops/metrics.js'
import { createSqliteStore } from '../../../src/relay/store/sqlite.js'
import type { EventJob, Store } from '../../../src/relay/store/types.js'
import { waitFor, wireEvent } from '../helpers.js'

/**
 * The forwarder with operations of the tests' own against a loopback
 * eSputnik: what the Operation interface promises a new upstream method
 * (batches, a result per item, splitting a refused batch, a pause of its own)
 * without any change to the forwarder.
 */

interface Received {
  path: string
  ids: string[]
  status: number
}

/**
 * `/batch` takes `{items: [{id, search}]}`: 400 for the whole call when an
 * item searches `poison`, else 200 with a result per item (`reject` → dead,
 * `later` → retry the first time). `/refuse` always answers 401.
 */
async function startUpstream() {
  const received: Received[] = []
  const retried = new Set<string>()
  const server: Server = createServer((request, response) => {
    let text = ''
    request.on('data', (chunk) => (text += chunk))
    request.on('end', () => {
      const items = (JSON.parse(text) as { items: { id: string; search: string }[] }).items
      const answer = (status: number, body: unknown) => {
        received.push({ path: request.url!, ids: items.map((i) => i.id), status })
        response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body))
      }
      if (request.url == '/refuse') return answer(401, 'Unauthorized')
      if (items.some((i) => i.search == 'poison')) return answer(400, 'one event of the batch is invalid')
      const results = items.map((i) => {
        if (i.search == 'reject') return 'INVALID'
        if (i.search != 'later' || retried.has(i.id)) return 'OK'
        retried.add(i.id)
        return 'SERVER_ERROR'
      })
      answer(200, { results })
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return { url, received, close: () => new Promise<void>((resolve) => server.close(() => resolve())) }
}

const search = (job: EventJob) => (job.event.data as { search?: string }).search ?? ''

/** A batch method over search events, `maxBatch` a call, rating each item as the answer says. */
const batchOperation = (maxBatch: number): Operation<{ id: string; search: string }, unknown, EventJob> => ({
  name: 'test-batch',
  budget: 'events',
  maxBatch,
  accepts: (job): job is EventJob => job.kind == 'event' && job.event.type == 'searchRequest',
  toItem: (job) => ({ id: job.id, search: search(job) }),
  toBody: (items) => ({ items }),
  send: (client, body) => client.post('/batch', body),
  results: (reply, jobs) =>
    (JSON.parse(reply.body) as { results: string[] }).results.slice(0, jobs.length).map((status): ItemResult => {
      if (status == 'OK') return { outcome: 'sent' }
      if (status == 'INVALID') return { outcome: 'dead', reason: `eSputnik refused the event: ${status}` }
      return { outcome: 'retry', reason: `eSputnik could not take the event yet: ${status}` }
    }),
})

/** A one-item method over page views whose every call eSputnik refuses with 401. */
const refusedOperation: Operation<{ id: string; search: string }, unknown, EventJob> = {
  name: 'test-refused',
  budget: 'subscribe',
  maxBatch: 1,
  accepts: (job): job is EventJob => job.kind == 'event' && job.event.type == 'pageViewed',
  toItem: (job) => ({ id: job.id, search: '' }),
  toBody: (items) => ({ items }),
  send: (client, body) => client.post('/refuse', body),
}

describe('the forwarder with operations of its registry', () => {
  let cleanup: (() => Promise<void>)[] = []
  afterEach(async () => {
    for (const step of cleanup.reverse()) await step()
    cleanup = []
  })

  async function start(operations: Operation[], claimBatch = 100) {
    const upstream = await startUpstream()
    const store: Store = createSqliteStore({ path: ':memory:' })
    const metrics = createMetrics({ counts: () => store.counts() })
    const config = {
      ...loadConfig({}),
      retryBaseMs: 20,
      retryMaxMs: 40,
      idlePollMs: 10,
      forwardStartDelayMs: 0,
      claimBatch,
    }
    const client = createEsputnikClient({ baseUrl: upstream.url, apiKey: 'test-key', timeoutMs: 2000 })
    const quiet = { info() {}, error() {} }
    const forwarder: Forwarder = createForwarder(config, { store, client, metrics, log: quiet, operations })
    cleanup.push(upstream.close, () => store.close(), () => forwarder.stop())
    const queue = (visitor: string, events: ReturnType<typeof wireEvent>[]) =>
      store.insertEvents({ visitor, events, receivedAt: Date.now(), anonymous: 'forward' })
    return { upstream, store, metrics, forwarder, queue }
  }

  it('sends up to maxBatch jobs in one call and settles each item by its own result', async () => {
    const { upstream, store, forwarder, queue } = await start([batchOperation(4)])
    const events = ['a', 'b', 'reject', 'c', 'later', 'd'].map((s) => wireEvent('searchRequest', { search: s }))
    await queue('visitor-batch-1', events)
    forwarder.start()
    await waitFor(async () => (await store.counts()).queued == 0, 'every item settled')

    const sentCalls = upstream.received.filter((r) => r.status == 200)
    expect(sentCalls[0]!.ids).toEqual(events.slice(0, 4).map((e) => e.id))
    expect(sentCalls[1]!.ids).toEqual(events.slice(4).map((e) => e.id))
    expect(Math.max(...upstream.received.map((r) => r.ids.length))).toBe(4)
    const [dead] = await store.listDeadLetters()
    expect(dead).toMatchObject({ id: events[2]!.id, reason: 'eSputnik refused the event: INVALID', status: 200 })
    expect(await store.counts()).toMatchObject({ sent: 5, dead: 1 })
    // The item to retry went again on its own, and only it.
    expect(upstream.received.filter((r) => r.ids.includes(events[4]!.id))).toHaveLength(2)
    expect(upstream.received.at(-1)!.ids).toEqual([events[4]!.id])
  })

  it('splits a batch eSputnik refuses as a whole until the bad item alone is a dead letter, and sends every other item once', async () => {
    const { upstream, store, forwarder, queue } = await start([batchOperation(8)])
    const events = Array.from({ length: 8 }, (_, i) => wireEvent('searchRequest', { search: i == 5 ? 'poison' : `mug-${i}` }))
    await queue('visitor-split-1', events)
    forwarder.start()
    await waitFor(async () => (await store.counts()).queued == 0, 'every item settled')

    const accepted = upstream.received.filter((r) => r.status == 200).flatMap((r) => r.ids)
    expect(accepted.sort()).toEqual(events.filter((_, i) => i != 5).map((e) => e.id).sort())
    // 8 refused, 4 sent + 4 refused, 2 sent + 2 refused, 1 sent + 1 refused.
    expect(upstream.received.map((r) => [r.ids.length, r.status])).toEqual([
      [8, 400],
      [4, 200],
      [4, 400],
      [2, 400],
      [1, 200],
      [1, 400],
      [2, 200],
    ])
    expect(await store.listDeadLetters()).toMatchObject([{ id: events[5]!.id, status: 400, reason: 'eSputnik answered 400: "one event of the batch is invalid"' }])
  })

  it('pauses only the operation eSputnik refused the key for, names it, and keeps sending the others', async () => {
    const { upstream, store, metrics, forwarder, queue } = await start([refusedOperation, batchOperation(10)])
    await queue('visitor-pause-1', [wireEvent('pageViewed', {}), wireEvent('searchRequest', { search: 'mug' })])
    forwarder.start()
    await waitFor(async () => (await store.counts()).sent == 1, 'the search event to be sent')
    await queue('visitor-pause-2', [wireEvent('pageViewed', {}), wireEvent('searchRequest', { search: 'cup' })])
    forwarder.wake()
    await waitFor(async () => (await store.counts()).sent == 2, 'the next search event to be sent during the pause')

    expect(forwarder.pauses()).toEqual([{ operation: 'test-refused', until: expect.any(Number), status: 401 }])
    // One refused call; the page views wait, queued, for the pause to end.
    expect(upstream.received.filter((r) => r.path == '/refuse')).toHaveLength(1)
    expect(await store.counts()).toMatchObject({ queued: 2, sent: 2, dead: 0 })
    const text = await metrics.registry.metrics()
    expect(text).toContain('esputnik_relay_upstream_paused{operation="test-refused"} 1')
    expect(text).toContain('esputnik_relay_upstream_paused{operation="test-batch"} 0')
  })
})
