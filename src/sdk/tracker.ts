import { EVENT_TYPES, WIRE_VERSION } from '../wire/types.js'
import type { CookieJar } from './cookie-jar.js'
import { createIdentity } from './identity.js'
import { resolveOptions, type ResolvedOptions, type TrackerOptions } from './options.js'
import { currentUrl, hasGPC, onPageEvents } from './page.js'
import { backoff, createQueue, type RequestKind } from './queue.js'
import { createSender } from './sender.js'
import { reasonOf, send } from './transport.js'
import { watchRoutes } from './spa.js'
import { createStorage, type KV } from './storage.js'
import type { Tracker, TrackerError, TrackerMethod } from './types.js'
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
    debug('reused', opts.endpoint)
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
    const head = JSON.stringify({ v: WIRE_VERSION, visitor: identity.current(), currencyCode: opts.currencyCode }).slice(0, -1)
    let events: string[] = []
    const storeEvents = () => {
      if (events.length) queue.keep('e', `${head},"events":[${events}]}`, events.length)
      events = []
    }
    for (const [kind, json] of buffer) {
      if (kind == 'e') {
        events.push(json)
        if (events.length >= batchSize) storeEvents()
      } else {
        storeEvents()
        queue.keep(kind, `${head},${json.slice(1)}`, 0)
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
    const result = await sender.drain()
    if (result) {
      // A reason (never empty): the request failed and waits.
      failures++
      const delay = backoff(failures)
      debug('retry', result)
      schedule(delay)
    } else {
      failures = 0
      // Another tab holds the lock or a lease: look again soon.
      if (result === null) schedule(flushInterval)
    }
  }

  /** Every public call ends here; any surprise becomes onError, never an exception in the page. */
  const enqueue = (method: TrackerMethod, make: (id: string) => object, kind: RequestKind = 'e') => {
    if (granted === false) return ''
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

  /**
   * A wire event: what the tracker knows at the call (id, type, time, page)
   * around the site's data. It checks and converts nothing: the relay checks
   * every event against the full schema (src/wire/schema.ts), turns
   * `isInStock` and `isFound` booleans into 0/1, resolves a relative
   * `pageViewed` url against the page's origin and applies the batch's
   * currency; its reasons come back through `onError`. The rules live in one
   * place and stay out of the bundle that ships to every visitor.
   */
  const stamp = (id: string, type: string, data: object, url?: string) => ({ id, type, ts: Date.now(), url: url ?? currentUrl(), data })
  /**
   * One of the seven, or the order: the input is the data, plus the cart's id
   * (`cartId`, which wins over one the site passes). A `url` in the input
   * (pageViewed's, for an SPA) replaces the page's and is no part of the data.
   */
  const emit = (method: TrackerMethod, type: string, input?: object, cartId?: string) =>
    enqueue(method, (id) => {
      const { url, ...data }: { url?: string; recycleStateId?: string } = { ...input, recycleStateId: cartId }
      return stamp(id, type, data, url)
    })
  const request = (method: 'subscribe' | 'identify') => (input: object) =>
    enqueue(method, (id) => ({ ...input, id, ts: Date.now() }), method)

  const tracker: Record<string, unknown> = {
    // A custom event's params are its data as given, a param named `url` included.
    track: (key: string, params?: object) => enqueue('track', (id) => stamp(id, key, { ...params })),
    purchased(input: object) {
      const id = emit('purchased', 'orderCreated', input, cart.id)
      cart.reset()
      return id
    },
    // send() never rejects, so neither does this; without consent there is no visitor to link.
    async telegramLink() {
      if (!granted) return ''
      const body = JSON.stringify({ v: WIRE_VERSION, visitor: identity.current() })
      const [status, answer] = await send(`${opts.endpoint}/v1/telegram/link`, body)
      if (answer.url) return answer.url
      report({ method: 'telegramLink', reason: reasonOf(status, answer.error) })
      return ''
    },
    subscribe: request('subscribe'),
    identify: request('identify'),
    get visitorId() {
      return granted ? identity.current() : ''
    },
    cart,
    flush: run,
    reset() {
      if (!granted) return ''
      seal() // what happened so far belongs to the old visitor
      return identity.renew()
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
      queue.wipe()
      identity.erase()
      kv.remove(CART)
      cartId = ''
      kv.set(CONSENT, 'denied')
    },
  }
  for (const type of EVENT_TYPES) {
    tracker[type] = (input?: object) => emit(type, type, input, type == 'cartUpdated' ? cart.id : undefined)
  }
  const frozen = (trackers[opts.endpoint] = Object.freeze(tracker) as unknown as Tracker)

  const leave = () => {
    if (!granted) return
    seal()
    void sender.leave()
  }
  // Back online: try at once instead of waiting out the backoff.
  onPageEvents(leave, run)
  if (opts.autoPageViews) watchRoutes(opts.spa, () => frozen.pageViewed())
  // Sends at once the first page view and what earlier pages left
  // undelivered; identity.current() in seal() renews the cookie on each visit.
  void run()
  return frozen
}
