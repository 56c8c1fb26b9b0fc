import { EVENT_TYPES, WIRE_VERSION, type EventType, type IdentifyRequest, type SubscribeRequest } from '../wire/types.js'
import { buildEvent, type HelperInputs } from './events.js'
import { createIdentity } from './identity.js'
import { resolveOptions, type TrackerOptions } from './options.js'
import { currentUrl, hasGPC, onPageEvents } from './page.js'
import { backoff, createQueue, type RequestKind } from './queue.js'
import { createSender } from './sender.js'
import { watchRoutes } from './spa.js'
import { createStorage } from './storage.js'
import { randomId } from './uuid.js'

export type SubscribeInput = Omit<SubscribeRequest, 'v' | 'id' | 'visitor' | 'ts'>
export type IdentifyInput = Omit<IdentifyRequest, 'v' | 'id' | 'visitor' | 'ts'>

/** Each call returns the id of what it queued ('' when consent is denied or the call failed). */
export type Tracker = { readonly [T in EventType]: (input: HelperInputs[T]) => string } & {
  pageViewed(input?: HelperInputs['pageViewed']): string
  /** Sends a Subscribe contact through the relay, which then joins this visitor's history to the contact. */
  subscribe(input: SubscribeInput): string
  /** Links a logged-in visitor; `signature` is HMAC-SHA256 from your backend. */
  identify(input: IdentifyInput): string
  /** The anonymous visitor id ('' without consent). */
  readonly visitorId: string
  /** The cart's recycleStateId; `reset()` after a purchase starts a new cart. */
  readonly cart: { readonly id: string; reset(): string }
  /** Sends what is queued now; resolves when the relay has answered, or the send failed and waits for a retry. */
  flush(): Promise<void>
  /** A new visitor id, e.g. on logout. */
  reset(): string
  optIn(): void
  optOut(): void
}

const CART = 'esputnik:cart'

/** The tracker of a real page; `createTracker` in index.ts adds the SSR guard. */
export function createBrowserTracker(options: TrackerOptions): Tracker {
  const opts = resolveOptions(options)
  const { batchSize, flushInterval } = opts
  const now = Date.now
  const kv = createStorage()
  const identity = createIdentity(opts, kv)
  const debug = (...args: unknown[]) => opts.debug && console.log('[esputnik]', ...args)
  /** A refused call or request: the debug log, and `onError`, whose own failure must not break us. */
  const report = (method: string, message: string) => {
    debug(method, message)
    try {
      opts.onError?.({ method, message })
    } catch {}
  }
  const queue = createQueue(kv, opts, debug)
  const sender = createSender(opts.endpoint, queue, report, debug)

  // GPC, when the site asks to honour it, counts as 'denied'. The site's
  // consent tool remembers the visitor's choice and passes it on each load.
  // true: granted, false: denied, undefined: pending.
  let granted = opts.respectGPC && hasGPC() ? false : opts.consent == 'pending' ? undefined : opts.consent == 'granted'
  /**
   * Calls not stored yet: events wait here up to `flushInterval` or
   * `batchSize`, and everything while consent is pending. `pagehide` stores
   * them, so a closed tab or a reload loses nothing.
   */
  let buffer: [RequestKind, string][] = []
  let cartId = kv.get(CART)
  let failures = 0
  let timer: ReturnType<typeof setTimeout> | 0 = 0

  const schedule = (delay: number) => (timer ||= setTimeout(run, delay))

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
    for (const [k, json] of buffer) {
      if (k == 'e' && events.push(json) < batchSize) continue
      storeEvents()
      if (k != 'e') queue.add(k, `${head},${json.slice(1)}`, 0)
    }
    storeEvents()
    buffer = []
  }

  /** One flush; after a failure the next waits 1 s, 2 s, 4 s … 5 min, with jitter. */
  async function run() {
    clearTimeout(timer)
    timer = 0
    if (!granted) return
    seal()
    const result = await sender.flush()
    if (result === false) schedule(backoff(++failures))
    else if (((failures = 0), result === null)) schedule(flushInterval)
  }

  /** Every public call ends here; any surprise becomes onError, never an exception in the page. */
  const enqueue = (k: RequestKind, make: () => { id: string }) => {
    if (granted === false) return ''
    try {
      const body = make()
      debug(k, body)
      buffer.push([k, JSON.stringify(body)])
      // A subscribe, an identify or a full batch goes now, unless the relay is failing.
      if (granted) (k != 'e' || buffer.length >= batchSize) && !failures ? run() : schedule(flushInterval)
      return body.id
    } catch (error) {
      report(k, error + '')
      return ''
    }
  }

  const cart = {
    get id() {
      cartId ||= randomId()
      if (granted) kv.set(CART, cartId)
      return cartId
    },
    reset() {
      cartId = ''
      return cart.id
    },
  }

  const request = (k: 'subscribe' | 'identify') => (input: object) =>
    enqueue(k, () => ({ ...input, id: randomId(), ts: now() }))

  const tracker = {
    ...Object.fromEntries(
      EVENT_TYPES.map((type) => [
        type,
        (input: HelperInputs[typeof type]) =>
          enqueue('e', () =>
            buildEvent(
              input,
              { id: randomId(), type, ts: now(), url: currentUrl() },
              type == 'cartUpdated' ? cart.id : undefined,
            ),
          ),
      ]),
    ),
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
    },
  } as unknown as Tracker

  // Back online: try at once instead of waiting out the backoff.
  onPageEvents(() => granted && (seal(), sender.leave()), run)
  if (opts.autoPageViews) watchRoutes(opts.spa, () => tracker.pageViewed())
  // Sends at once the first page view and what earlier pages left
  // undelivered; identity.get() in seal() renews the cookie on each visit.
  void run()
  return Object.freeze(tracker)
}
