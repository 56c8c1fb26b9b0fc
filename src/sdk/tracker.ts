import { EVENT_TYPES, WIRE_VERSION, type EventType } from '../wire/types.js'
import type { CookieJar } from './cookie-jar.js'
import { buildEvent } from './events.js'
import { createIdentity } from './identity.js'
import { resolveOptions, type ResolvedOptions, type TrackerOptions } from './options.js'
import { currentUrl, hasGPC, onPageEvents } from './page.js'
import { backoff, createQueue, type RequestKind } from './queue.js'
import { createSender } from './sender.js'
import { watchRoutes } from './spa.js'
import { createStorage, type KV } from './storage.js'
import type { HelperInputs, Tracker, TrackerError, TrackerMethod } from './types.js'
import { randomId } from './uuid.js'

const CART = 'esputnik:cart'
/** The visitor's own choice, `granted` or `denied`, written by optIn() and optOut(). */
const CONSENT = 'esputnik:consent'

/**
 * Where the trackers of this page live, by endpoint: a global symbol, so the
 * script tag and an npm bundle on the same page, or a component created twice
 * (React StrictMode), share one tracker and one set of page listeners.
 */
export const TRACKERS = Symbol.for('esputnik')

/**
 * The consent at load: true granted, false denied, undefined pending. GPC,
 * when the site asks to honour it, and the site's `denied` always win; then the
 * visitor's own optIn() / optOut() of an earlier page; then the site's option.
 */
function initialConsent(opts: ResolvedOptions, kv: KV): boolean | undefined {
  if ((opts.respectGPC && hasGPC()) || opts.consent == 'denied') return false
  const choice = kv.get(CONSENT)
  if (choice) return choice == 'granted'
  if (opts.consent == 'pending') return undefined
  return true
}

/**
 * The tracker of a real page, one per endpoint: a second call for the same
 * endpoint returns the first tracker. `createTracker` in index.ts adds the
 * SSR guard; `jar` writes the visitor cookie (cookie-jar.ts).
 */
export function createBrowserTracker(options: TrackerOptions, jar: CookieJar): Tracker {
  const opts = resolveOptions(options)
  const debug = (...args: unknown[]) => {
    if (opts.debug) console.log('[esputnik]', ...args)
  }
  const trackers: Record<string, Tracker> = ((window as any)[TRACKERS] ||= {})
  const existing = trackers[opts.endpoint]
  if (existing) {
    debug('reusing the tracker of', opts.endpoint)
    return existing
  }

  const { batchSize, flushInterval } = opts
  const kv = createStorage()
  const identity = createIdentity(opts, kv, jar)
  /** A refused call or event: the debug log, and `onError`, whose own failure must not break us. */
  const report = (error: TrackerError) => {
    debug('error', error)
    try {
      opts.onError?.(error)
    } catch {}
  }
  const queue = createQueue(kv, opts, debug)
  const sender = createSender(opts.endpoint, queue, report, debug)

  let granted = initialConsent(opts, kv)
  /**
   * Calls not stored yet: events wait here up to `flushInterval` or
   * `batchSize`, and everything while consent is pending. `pagehide` stores
   * them, so a closed tab or a reload loses nothing.
   */
  let buffer: [RequestKind, string][] = []
  let cartId = kv.get(CART)
  /** Failed flushes in a row; each one doubles the wait before the next. */
  let failures = 0
  let timer: ReturnType<typeof setTimeout> | 0 = 0

  const schedule = (delay: number) => {
    if (!timer) timer = setTimeout(run, delay)
  }

  /**
   * Stores the buffer: events in batches, each subscribe or identify alone,
   * all opening with the wire version, the visitor and the site's currency.
   * Bodies are JSON already (made at the call, so a value that cannot be
   * serialised is refused there), joined here as text.
   */
  const seal = () => {
    const head = JSON.stringify({ v: WIRE_VERSION, visitor: identity.get(), currencyCode: opts.currencyCode }).slice(0, -1)
    let events: string[] = []
    const storeEvents = () => {
      if (events.length) queue.add('e', `${head},"events":[${events}]}`, events.length)
      events = []
    }
    for (const [kind, json] of buffer) {
      if (kind == 'e') {
        events.push(json)
        if (events.length >= batchSize) storeEvents()
      } else {
        storeEvents()
        queue.add(kind, `${head},${json.slice(1)}`, 0)
      }
    }
    storeEvents()
    buffer = []
  }

  /** One flush; after a failure the next waits 1–2 s, 2–4 s … up to 5 min (queue.ts, backoff). */
  async function run() {
    clearTimeout(timer)
    timer = 0
    if (!granted) return
    seal()
    const result = await sender.flush()
    if (typeof result == 'string') {
      failures++
      const delay = backoff(failures)
      debug('retry in', Math.round(delay), 'ms:', result)
      schedule(delay)
    } else {
      failures = 0
      // Another tab holds the lock or a lease: look again soon.
      if (result === null) schedule(flushInterval)
    }
  }

  /** Every public call ends here; any surprise becomes onError, never an exception in the page. */
  const enqueue = (method: TrackerMethod, make: (id: string) => object) => {
    if (granted === false) return ''
    const kind: RequestKind = method == 'subscribe' || method == 'identify' ? method : 'e'
    try {
      const id = randomId()
      const json = JSON.stringify(make(id))
      debug(method, json)
      buffer.push([kind, json])
      if (granted) {
        // A subscribe, an identify or a full batch goes now, unless the relay is failing.
        const isUrgent = kind != 'e' || buffer.length >= batchSize
        if (isUrgent && !failures) void run()
        else schedule(flushInterval)
      }
      return id
    } catch (error) {
      report({ method, reason: String(error) })
      return ''
    }
  }

  const cart = {
    get id() {
      if (!cartId) cartId = randomId()
      if (granted) kv.set(CART, cartId)
      return cartId
    },
    reset() {
      cartId = ''
      return cart.id
    },
  }

  const helper = (type: EventType) => (input: HelperInputs[typeof type]) =>
    enqueue(type, (id) => {
      const event = { id, type, ts: Date.now(), url: currentUrl() }
      return buildEvent(input, event, type == 'cartUpdated' ? cart.id : undefined)
    })
  const request = (method: 'subscribe' | 'identify') => (input: object) =>
    enqueue(method, (id) => ({ ...input, id, ts: Date.now() }))

  const tracker = {
    ...Object.fromEntries(EVENT_TYPES.map((type) => [type, helper(type)])),
    subscribe: request('subscribe'),
    identify: request('identify'),
    get visitorId() {
      return granted ? identity.get() : ''
    },
    cart,
    flush: run,
    reset() {
      if (!granted) return ''
      seal() // what happened so far belongs to the old visitor
      return identity.reset()
    },
    optIn() {
      granted = true
      kv.set(CONSENT, 'granted')
      if (cartId) kv.set(CART, cartId) // the cart made while consent was pending
      void run()
    },
    optOut() {
      granted = false
      buffer = []
      queue.clear()
      identity.clear()
      kv.remove(CART)
      cartId = ''
      kv.set(CONSENT, 'denied')
    },
  } as unknown as Tracker
  trackers[opts.endpoint] = Object.freeze(tracker)

  const leave = () => {
    if (!granted) return
    seal()
    void sender.leave()
  }
  // Back online: try at once instead of waiting out the backoff.
  onPageEvents(leave, run)
  if (opts.autoPageViews) watchRoutes(opts.spa, () => tracker.pageViewed())
  // Sends at once the first page view and what earlier pages left
  // undelivered; identity.get() in seal() renews the cookie on each visit.
  void run()
  return tracker
}
