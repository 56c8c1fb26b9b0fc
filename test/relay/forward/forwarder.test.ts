import { describe, expect, it } from 'vitest'
import type { BatchResponse } from '../../../src/wire/types.js'
import { stoppedAfterEach, batchOf, linkTo, startTestRelay, waitFor, wireEvent, type TestRelay } from '../helpers.js'
import { WEB_EVENT_EXAMPLES } from '../esputnik/event-v2-examples.js'

const start = stoppedAfterEach(startTestRelay)

const metric = async (relay: TestRelay, name: string) => {
  const text = await (await fetch(`${relay.url}/metrics`)).text()
  const line = text.split('\n').find((l) => l.startsWith(`esputnik_relay_${name} `) || l.startsWith(`esputnik_relay_${name}{`))
  return Number(line?.split(' ').at(-1) ?? NaN)
}

describe('forwarding beacons to eSputnik (the sandbox)', () => {
  it('delivers each of the seven web events as the Generate event v2 body of eSputnik’s example', async () => {
    const relay = await start()
    const { store } = relay.app.relay
    const visitors = { both: 'visitor-email-and-phone', phone: 'visitor-phone-only' }
    await linkTo(store, visitors.both, { email: 'example@email.com', phone: '380501234567' })
    await linkTo(store, visitors.phone, { phone: '380501234567' })

    for (const ex of WEB_EVENT_EXAMPLES) {
      const visitor = ex.locators.email ? visitors.both : visitors.phone
      const res = await relay.send(batchOf(visitor, [wireEvent(ex.type, ex.data, { url: ex.url ?? 'https://example.com/p' })]))
      expect(res.status).toBe(202)
      expect(await res.json()).toEqual({ accepted: 1, rejected: [] })
    }

    const delivered = await waitFor(async () => {
      const list = await relay.delivered()
      return list.length == 7 && list
    }, 'seven deliveries')
    for (const ex of WEB_EVENT_EXAMPLES) {
      const got = delivered.find((r) => (r.body as { eventTypeKey: string }).eventTypeKey == ex.type)
      expect(got?.body, ex.type).toEqual(ex.body)
      expect(got?.authorized).toBe(true)
    }
  })

  it('forwards an anonymous visitor’s event at once with the visitor id as keyValue (ANONYMOUS_EVENTS=forward)', async () => {
    const relay = await start({ env: { ANONYMOUS_EVENTS: 'forward' } })
    await relay.send(batchOf('anonymous-visitor-1', [wireEvent('productCategoryViewed', { productCategoryId: 'Mugs' })]))
    const [got] = await waitFor(() => relay.delivered(), 'a delivery')
    expect(got!.body).toEqual({
      eventTypeKey: 'productCategoryViewed',
      keyValue: 'anonymous-visitor-1',
      params: [{ name: 'category', value: '{"productCategoryId":"Mugs"}' }],
    })
  })

  it('holds an anonymous visitor’s events (ANONYMOUS_EVENTS=hold) and sends them with the locators once linked', async () => {
    const relay = await start({ env: { ANONYMOUS_EVENTS: 'hold' } })
    const events = [wireEvent('searchRequest', { search: 'mug' }), wireEvent('searchRequest', { search: 'cup' })]
    expect((await relay.send(batchOf('held-visitor-1', events))).status).toBe(202)
    const { store, forwarder } = relay.app.relay
    expect(await store.counts()).toMatchObject({ held: 2, queued: 0 })
    expect(await metric(relay, 'events_held_total')).toBe(2)
    expect(await relay.recorded()).toEqual([])

    await linkTo(store, 'held-visitor-1', { email: 'buyer@example.com' })
    forwarder.wake()
    const delivered = await waitFor(async () => {
      const list = await relay.delivered()
      return list.length == 2 && list
    }, 'the held events')
    expect(delivered.map((r) => r.body)).toEqual(
      ['mug', 'cup'].map((search) => ({
        eventTypeKey: 'searchRequest',
        keyValue: 'buyer@example.com',
        params: [
          { name: 'email', value: 'buyer@example.com' },
          { name: 'search', value: search },
          { name: 'occurredAt', value: new Date(events[0]!.ts).toISOString() },
        ],
      })),
    )
  })

  it('resolves an SPA’s relative pageViewed url against the Origin, else the Referer, before it becomes page.location', async () => {
    const relay = await start()
    const byOrigin = wireEvent('pageViewed', {}, { url: '/p/1' })
    const byReferer = wireEvent('pageViewed', {}, { url: 'p/2?x=1' })
    const orphan = wireEvent('pageViewed', {}, { url: '/p/3' })
    expect((await relay.send(batchOf('visitor-spa-1', [byOrigin]), { origin: 'https://shop.example.com' })).status).toBe(202)
    expect((await relay.send(batchOf('visitor-spa-1', [byReferer]), { referer: 'https://shop.example.com/catalog/mugs' })).status).toBe(202)
    const res = await relay.send(batchOf('visitor-spa-1', [orphan]), { origin: 'null' })
    expect(await res.json()).toEqual({ accepted: 0, rejected: [{ id: orphan.id, reason: expect.stringMatching(/is relative, and the request has no Origin or Referer/) }] })
    const delivered = await waitFor(async () => {
      const list = await relay.delivered()
      return list.length == 2 && list
    }, 'two page views')
    const locations = delivered.map((r) => (r.body as { params: { name: string; value: string }[] }).params.find((p) => p.name == 'page')!.value)
    expect(locations).toEqual(['{"location":"https://shop.example.com/p/1"}', '{"location":"https://shop.example.com/catalog/p/2?x=1"}'])
  })

  it('sends the batch’s default currencyCode with the events that had none, and booleans as 0/1', async () => {
    const relay = await start()
    const viewed = wireEvent('productViewed', { productId: 'sku-1', price: 10, isInStock: true as unknown as 1 })
    const wished = wireEvent('productAddedToWishlist', { productId: 'sku-1', price: 10, currencyCode: 'EUR' })
    await relay.send({ ...batchOf('visitor-currency-1', [viewed, wished]), currencyCode: 'UAH' })
    const delivered = await waitFor(async () => {
      const list = await relay.delivered()
      return list.length == 2 && list
    }, 'two deliveries')
    const params = (i: number) => (delivered[i]!.body as { params: unknown[] }).params
    expect(params(0)).toEqual([
      { name: 'product', value: '{"productId":"sku-1","price":10,"isInStock":1}' },
      { name: 'currencyCode', value: 'UAH' },
    ])
    expect(params(1)).toContainEqual({ name: 'currencyCode', value: 'EUR' })
  })

  it('answers a resent batch 202 but calls eSputnik once per event id', async () => {
    const relay = await start({ config: { autoStart: false } })
    const batch = batchOf('visitor-resend-1', [wireEvent('pageViewed', {}), wireEvent('pageViewed', {})])
    for (let i = 0; i < 3; i++) {
      const res = await relay.send(batch)
      expect(res.status).toBe(202)
      expect(((await res.json()) as BatchResponse).accepted).toBe(2)
    }
    relay.app.relay.forwarder.start()
    await waitFor(async () => (await relay.delivered()).length == 2, 'two deliveries')
    // Once delivered, a late resend (a page that never saw the answer) changes nothing.
    expect((await relay.send(batch)).status).toBe(202)
    await waitFor(async () => (await relay.app.relay.store.counts()).queued == 0, 'an empty queue')
    expect(await relay.app.relay.store.counts()).toMatchObject({ sent: 2, queued: 0 })
    expect(await relay.delivered()).toHaveLength(2)
    expect(await metric(relay, 'events_duplicate_total')).toBe(6)
  })

  it('keeps accepted events through a restart and sends them afterwards', async () => {
    const first = await startTestRelay({ config: { autoStart: false } })
    const events = [wireEvent('pageViewed', {}), wireEvent('productViewed', { productId: 'sku-1', price: 10 })]
    expect((await first.send(batchOf('visitor-restart', events))).status).toBe(202)
    await first.stop(true)

    const second = await start({ dir: first.dir })
    const delivered = await waitFor(async () => {
      const list = await second.delivered()
      return list.length == 2 && list
    }, 'deliveries after the restart')
    expect(delivered.map((r) => (r.body as { eventTypeKey: string }).eventTypeKey)).toEqual(['pageViewed', 'productViewed'])
  })

  it('counts accepted, rejected, queued and sent events in /metrics', async () => {
    const relay = await start()
    const good = wireEvent('pageViewed', {})
    await relay.send({ ...batchOf('visitor-metrics', [good]), events: [good, { id: 'bad-event-1', type: 'nope', ts: 1, data: {} }] })
    await waitFor(async () => (await metric(relay, 'events_sent_total')) == 1, 'the sent counter')
    expect(await metric(relay, 'events_accepted_total')).toBe(1)
    expect(await metric(relay, 'events_rejected_total')).toBe(1)
    expect(await metric(relay, 'events_queued_total')).toBe(1)
    // The queue gauges read the store at scrape time (cached for half a second).
    const text = await waitFor(async () => {
      const t = await (await fetch(`${relay.url}/metrics`)).text()
      return t.includes('esputnik_relay_jobs{state="sent"} 1') && t
    }, 'the sent gauge')
    expect(text).toContain('esputnik_relay_upstream_request_duration_seconds_count{outcome="ok",operation="event-v2"} 1')
    expect(text).toContain('esputnik_relay_queue_age_seconds 0\n')
  })
})
