// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createTracker } from '../../src/sdk/index.js'
import type { Tracker, TrackerError } from '../../src/sdk/types.js'
import { freshPage } from './support/page.js'
import { startRelayStub, waitFor, type RelayStub } from './support/relay-stub.js'

type Esputnik = ((...args: unknown[]) => unknown) & { q?: unknown[][]; tracker?: Tracker }
const w = window as unknown as { esputnik?: Esputnik }
let relay: RelayStub

/** The one-line stub of the README, as a site pastes it. */
function installStub() {
  w.esputnik = function (...args: unknown[]) {
    ;(w.esputnik!.q = w.esputnik!.q || []).push(args)
  } as Esputnik
}

/** Runs the script-tag build as the browser would: with `<script data-…>` as document.currentScript. */
async function loadScriptTag(data: Record<string, string>) {
  const script = document.createElement('script')
  for (const [key, value] of Object.entries(data)) script.dataset[key] = value
  Object.defineProperty(document, 'currentScript', { configurable: true, get: () => script })
  vi.resetModules()
  await import('../../src/sdk/snippet.js')
  return w.esputnik!
}

beforeEach(async () => {
  relay = await startRelayStub()
  freshPage(`${relay.url}/`)
  delete w.esputnik
})

afterEach(async () => {
  w.esputnik?.tracker?.optOut()
  await relay.close()
})

describe('the script tag', () => {
  it('replays the calls made before it loaded, in order, after the automatic page view', async () => {
    installStub()
    w.esputnik!('productViewed', { productId: 'p1', price: 10 })
    w.esputnik!('productCategoryViewed', { productCategoryId: 'c1' })
    w.esputnik!('searchRequest', { search: 'mug', isFound: true })
    await loadScriptTag({ endpoint: relay.url, spa: 'false', flushInterval: '20' })
    await waitFor(() => relay.events().length == 4)
    expect(relay.events().map((e) => e.type)).toEqual(['pageViewed', 'productViewed', 'productCategoryViewed', 'searchRequest'])
  })

  it('replays queued custom events and purchases as the helpers send them', async () => {
    installStub()
    w.esputnik!('track', 'quizCompleted', { quizId: 'q7', score: 8 })
    w.esputnik!('purchased', { orderId: 'o-1', totalCost: 10, items: [{ productId: 'p1', quantity: 1, price: 10 }] })
    const esputnik = await loadScriptTag({ endpoint: relay.url, autoPageViews: 'false', flushInterval: '20' })
    await waitFor(() => relay.events().length == 2)
    const [custom, order] = relay.events()
    expect(custom).toMatchObject({ type: 'quizCompleted', data: { quizId: 'q7', score: 8 } })
    expect(order).toMatchObject({ type: 'orderCreated', data: { orderId: 'o-1', recycleStateId: expect.any(String) } })
    // The purchase started a new cart.
    expect(esputnik.tracker!.cart.id).not.toBe(order.data.recycleStateId)
  })

  it('gives the Telegram link through esputnik.tracker once loaded', async () => {
    relay.answerWith(() => ({ status: 200, body: { url: 'https://t.me/shop_bot?start=abc' } }))
    const esputnik = await loadScriptTag({ endpoint: relay.url, autoPageViews: 'false' })
    await expect(esputnik.tracker!.telegramLink()).resolves.toBe('https://t.me/shop_bot?start=abc')
  })

  it('takes its options from data-* attributes, parsing numbers and booleans', async () => {
    const esputnik = await loadScriptTag({
      endpoint: relay.url,
      autoPageViews: 'false',
      spa: 'false',
      cookieName: 'shop_vid',
      batchSize: '2',
      flushInterval: '60000',
      currencyCode: 'EUR',
    })
    esputnik('productViewed', { productId: 'a', price: 1 })
    esputnik('productViewed', { productId: 'b', price: 1 })
    await waitFor(() => relay.received.length == 1)
    expect(relay.received[0]!.body).toMatchObject({ currencyCode: 'EUR', visitor: esputnik.tracker!.visitorId })
    expect(relay.events()).toHaveLength(2) // batchSize 2 sent at once, no page view
    expect(document.cookie).toContain(`shop_vid=${esputnik.tracker!.visitorId}`)
  })

  it('replaces the stub, so later calls go straight to the tracker and return its answer', async () => {
    installStub()
    const esputnik = await loadScriptTag({ endpoint: relay.url, autoPageViews: 'false' })
    expect(esputnik.q).toBeUndefined()
    expect(esputnik('productViewed', { productId: 'a', price: 1 })).toMatch(/^[\da-f-]{36}$/)
  })

  it('lets a bad call fail alone: the next calls still go', async () => {
    installStub()
    w.esputnik!('noSuchHelper', {})
    w.esputnik!('productViewed', { productId: 'p1', price: 10 })
    const esputnik = await loadScriptTag({ endpoint: relay.url, autoPageViews: 'false', flushInterval: '20' })
    expect(() => esputnik('alsoMissing')).not.toThrow()
    await waitFor(() => relay.events().length == 1)
    expect(relay.events()[0]!.data.productId).toBe('p1')
  })

  it("calls the page's onError, set through the stub before the tag loaded", async () => {
    relay.answerWith(() => ({ status: 400, body: { error: 'no' } }))
    const errors: TrackerError[] = []
    installStub()
    w.esputnik!('onError', (error: TrackerError) => errors.push(error))
    w.esputnik!('productViewed', { productId: 'p1', price: 10 })
    await loadScriptTag({ endpoint: relay.url, autoPageViews: 'false', flushInterval: '20' })
    await waitFor(() => errors.length == 1)
    expect(errors[0]).toMatchObject({ method: 'productViewed', reason: 'HTTP 400: no' })
  })

  it('shares its tracker with createTracker from the npm build for the same endpoint', async () => {
    const esputnik = await loadScriptTag({ endpoint: relay.url, autoPageViews: 'false' })
    expect(createTracker({ endpoint: relay.url })).toBe(esputnik.tracker)
  })

  it('without data-endpoint, explains itself on the console and throws nothing into the page', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {})
    await expect(loadScriptTag({})).resolves.toBeUndefined()
    expect(String(error.mock.calls[0]![0])).toMatch(/endpoint is required/)
    error.mockRestore()
  })
})
