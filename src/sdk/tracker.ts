import { EVENT_TYPES, WIRE_VERSION, type EventType, type IdentifyRequest, type SubscribeRequest } from '../wire/types.js'
import { buildEvent, type HelperInputs } from './events.js'
import { createIdentity } from './identity.js'
import { resolveOptions, type Consent, type TrackerOptions } from './options.js'
import { currentUrl, hasGPC, onPageEvents } from './page.js'
import { backoff, createQueue, type Item } from './queue.js'
import { createSender } from './sender.js'
import { watchRoutes } from './spa.js'
import { createStorage } from './storage.js'
import { randomId } from './uuid.js'

export type SubscribeInput = Omit<SubscribeRequest, 'v' | 'id' | 'visitor' | 'ts'>
export type IdentifyInput = Omit<IdentifyRequest, 'v' | 'id' | 'visitor' | 'ts'>

/** Each call returns the id of what it queued ('' when consent is denied). */
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

const CONSENT = 'esputnik:consent'
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

  // The site saying 'denied' wins; then the visitor's own optIn/optOut
  // (remembered); then GPC when asked; then the default.
  let consent =
    opts.consent == 'denied' ? 'denied' : (kv.get(CONSENT) as Consent) || (opts.respectGPC && hasGPC() ? 'denied' : opts.consent)
  let pending: Item[] = []
  let cartId = kv.get(CART)
  let order = 0
  let batched = 0
  let failures = 0
  let timer: ReturnType<typeof setTimeout> | 0 = 0

  const isGranted = () => consent == 'granted'
  const schedule = (delay: number) => (timer ||= setTimeout(run, delay))

  /** One flush; after a failure the next waits 1 s, 2 s, 4 s … 5 min, with jitter. */
  async function run() {
    clearTimeout(timer)
    timer = batched = 0
    if (!isGranted()) return
    const ok = await sender.flush()
    failures = ok ? 0 : failures + +(ok === false)
    if (!ok) schedule(ok === false ? backoff(failures) : flushInterval)
  }

  const store = (item: Item) => {
    item.v = identity.get()
    queue.add(item)
    // A subscribe, an identify or a full batch goes now, unless the relay is failing.
    if ((item.k != 'events' || ++batched >= batchSize) && !failures) void run()
    else schedule(flushInterval)
  }

  /** Every public call ends here; any surprise becomes onError, never an exception in the page. */
  const enqueue = (k: Item['k'], make: () => Item['b']) => {
    if (consent == 'denied') return ''
    try {
      const b = make()
      debug(k, b)
      const item = { k, b, v: '', c: now() + order++ / 1e4, l: 0 }
      isGranted() ? store(item) : pending.push(item)
      return b.id
    } catch (error) {
      report(k, String(error))
    }
  }

  const cart = {
    get id() {
      cartId ||= randomId()
      if (isGranted()) kv.set(CART, cartId)
      return cartId
    },
    reset() {
      cartId = ''
      return cart.id
    },
  }

  const request = (k: 'subscribe' | 'identify') => (input: object) =>
    enqueue(k, () => ({ ...input, v: WIRE_VERSION, id: randomId(), ts: now() }) as Item['b'])

  const tracker = {
    ...Object.fromEntries(
      EVENT_TYPES.map((type) => [
        type,
        (input: HelperInputs[typeof type]) =>
          enqueue('events', () =>
            buildEvent(type, input, {
              id: randomId(),
              ts: now(),
              url: currentUrl(),
              currencyCode: opts.currencyCode,
              cartId: type == 'cartUpdated' ? cart.id : undefined,
            }),
          ),
      ]),
    ),
    subscribe: request('subscribe'),
    identify: request('identify'),
    get visitorId() {
      return isGranted() ? identity.get() : ''
    },
    cart,
    flush: run,
    reset: () => (isGranted() ? identity.reset() : ''),
    optIn() {
      kv.set(CONSENT, (consent = 'granted'))
      pending.forEach(store)
      pending = []
      if (cartId) kv.set(CART, cartId) // the cart made while consent was pending
    },
    optOut() {
      kv.set(CONSENT, (consent = 'denied'))
      pending = []
      queue.clear()
      identity.clear()
      kv.remove(CART)
      cartId = ''
    },
  } as unknown as Tracker

  onPageEvents(
    () => isGranted() && sender.leave(),
    () => {
      failures = 0
      void run()
    },
  )
  if (opts.autoPageViews) watchRoutes(opts.spa, () => tracker.pageViewed())
  // Renews the cookie's lifetime on each visit, and sends at once the first
  // page view and what earlier pages left undelivered.
  if (isGranted()) identity.get(), run()
  return Object.freeze(tracker)
}
