// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createTracker } from '../../src/sdk/index.js'
import type { Tracker } from '../../src/sdk/types.js'
import { freshPage } from './support/page.js'
import { startRelayStub, waitFor, waitUntilQuiet, type RelayStub } from './support/relay-stub.js'

// createTracker patches history for SPA page views; each test gets the browser's own back.
const { pushState, replaceState } = History.prototype
let relay: RelayStub
const made: Tracker[] = []
const create = (options: Parameters<typeof createTracker>[0]) => {
  const tracker = createTracker(options)
  made.push(tracker)
  return tracker
}

beforeEach(async () => {
  relay = await startRelayStub()
  freshPage(`${relay.url}/shop/`)
})

afterEach(async () => {
  vi.restoreAllMocks()
  for (const tracker of made.splice(0)) tracker.optOut()
  history.pushState = pushState
  history.replaceState = replaceState
  await relay.close()
})

const pageViews = () => relay.events().filter((e) => e.type == 'pageViewed').map((e) => new URL(e.url).pathname)

describe('createTracker called twice on one page', () => {
  it('returns the first tracker for the same endpoint, and says so in debug', () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {})
    const first = create({ endpoint: relay.url })
    const second = create({ endpoint: `${relay.url}/`, debug: true })
    expect(second).toBe(first)
    expect(log.mock.calls.map((args) => args.join(' '))).toContainEqual(expect.stringMatching(/reused http/))
  })

  it('makes one page view per route change, as a component created twice (React StrictMode) would not double', async () => {
    create({ endpoint: relay.url, flushInterval: 20 })
    create({ endpoint: relay.url, flushInterval: 20 })
    history.pushState({}, '', '/shop/mugs')
    history.pushState({}, '', '/shop/mugs/42')
    await waitFor(() => pageViews().length >= 3)
    // Ten flush intervals (20 ms): a second set of listeners would have sent its views by then.
    await waitUntilQuiet(() => relay.events().length, 200)
    expect(pageViews()).toEqual(['/shop/', '/shop/mugs', '/shop/mugs/42'])
  })

  it('gives another endpoint its own tracker', () => {
    const first = create({ endpoint: relay.url, autoPageViews: false })
    expect(create({ endpoint: `${relay.url}/other`, autoPageViews: false })).not.toBe(first)
  })
})
