import Cookies from 'js-cookie'
import { afterEach, beforeEach, vi } from 'vitest'
import type { TrackerOptions } from '../../../src/sdk/options.js'
import { createBrowserTracker } from '../../../src/sdk/tracker.js'
import type { Tracker, TrackerError } from '../../../src/sdk/types.js'
import { freshPage } from './page.js'
import { startRelayStub, type RelayStub } from './relay-stub.js'

/**
 * The set-up of the tracker tests: a stub relay and a fresh page per test,
 * `track()` to make a tracker on it (the npm build's, with js-cookie), and
 * every onError call collected in `errors`.
 */
export function useTrackers() {
  const env = { relay: undefined as unknown as RelayStub, errors: [] as TrackerError[] }
  const trackers: Tracker[] = []

  beforeEach(async () => {
    env.relay = await startRelayStub()
    freshPage(`${env.relay.url}/shop/p/1`)
    env.errors.length = 0
  })

  afterEach(async () => {
    vi.useRealTimers()
    vi.restoreAllMocks()
    vi.unstubAllGlobals()
    // Earlier trackers keep their page listeners; opting them out makes them inert.
    for (const tracker of trackers.splice(0)) tracker.optOut()
    await env.relay.close()
  })

  /** A tracker on the stub relay; page views and SPA off unless a test asks, so counts stay exact. */
  function track(options: Partial<TrackerOptions> = {}): Tracker {
    const tracker = createBrowserTracker(
      {
        endpoint: env.relay.url,
        autoPageViews: false,
        spa: false,
        flushInterval: 20,
        onError: (error) => env.errors.push(error),
        ...options,
      },
      Cookies,
    )
    trackers.push(tracker)
    return tracker
  }

  return { env, track }
}

/** A v4 UUID, as crypto.randomUUID makes them. */
export const UUID = /^[\da-f]{8}-[\da-f]{4}-4[\da-f]{3}-[89ab][\da-f]{3}-[\da-f]{12}$/

/** No jitter: backoff(n) is then exactly 2^n × 500 ms (1 s after the first failure, 2 s after the second). */
export const withoutJitter = () => vi.spyOn(Math, 'random').mockReturnValue(0)
