import { EVENT_TYPES, WIRE_VERSION, type EventType, type IdentifyRequest, type SubscribeRequest } from '../wire/types.js'
import { buildEvent, type HelperInputs } from './events.js'
import { createIdentity } from './identity.js'
import { createLock } from './lock.js'
import { createLog } from './log.js'
import { resolveOptions, type Consent, type TrackerOptions } from './options.js'
import { currentUrl, hasGPC, hostname, isSecurePage, onLeave, onOnline } from './page.js'
import { createQueue, type Item, type ItemKind } from './queue.js'
import { createSender } from './sender.js'
import { routeKey, watchHistory } from './spa.js'
import { createStorage } from './storage.js'
import { randomId } from './uuid.js'
import { checkIdentify, checkSubscribe } from './validate.js'

export type SubscribeInput = Omit<SubscribeRequest, 'v' | 'id' | 'visitor' | 'ts'>
export type IdentifyInput = Omit<IdentifyRequest, 'v' | 'id' | 'visitor' | 'ts'>

/** Each helper returns the new event's id, or undefined when the call was refused (see `onError`). */
export type Tracker = { readonly [T in EventType]: (input: HelperInputs[T]) => string | undefined } & {
  pageViewed(input?: HelperInputs['pageViewed']): string | undefined
  /** Sends a Subscribe contact through the relay, which then joins this visitor's history to the contact. */
  subscribe(input: SubscribeInput): string | undefined
  /** Links a logged-in visitor; `signature` is HMAC-SHA256 from your backend. */
  identify(input: IdentifyInput): string | undefined
  /** The anonymous visitor id ('' without consent). */
  readonly visitorId: string
  /** The cart's recycleStateId; `reset()` after a purchase starts a new cart. */
  readonly cart: { readonly id: string; reset(): string }
  /** Sends what is queued now; resolves when the relay has answered (or the send failed and was queued). */
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
  const now = Date.now
  const kv = createStorage()
  const log = createLog(opts.debug, opts.onError)
  const identity = createIdentity(
    { ...opts, hostname: hostname(), isSecure: isSecurePage() },
    kv,
  )
  const queue = createQueue(kv, opts.maxQueueEvents, opts.maxQueueBytes, log)
  const lock = createLock(kv, randomId(), now)
  const sender = createSender({ ...opts, queue, lock, log, now })

  // An explicit choice of the visitor (optIn/optOut, remembered) beats GPC and
  // the default; only the site saying 'denied' beats the visitor.
  let consent: Consent =
    opts.consent == 'denied' ? 'denied'
    : (kv.get(CONSENT) as Consent | null) || (opts.respectGPC && hasGPC() ? 'denied' : opts.consent)
  let pending: Item[] = []
  let cartId: string | undefined
  let order = 0
  let batched = 0
  let timer: ReturnType<typeof setTimeout> | undefined
  let timerAt = Infinity

  const isGranted = () => consent == 'granted'

  const run = (): Promise<void> => {
    clearTimeout(timer)
    timer = undefined
    timerAt = Infinity
    batched = 0
    if (!isGranted()) return Promise.resolve()
    return sender
      .flush()
      .then(() => {
        const next = queue.next()
        if (next != null) schedule(Math.max(next - now(), opts.flushInterval))
      })
      .catch((error) => log.error('flush', String(error)))
  }

  /** Keeps the earliest of the planned flushes. */
  function schedule(delay: number) {
    if (now() + delay >= timerAt) return
    clearTimeout(timer)
    timerAt = now() + delay
    timer = setTimeout(run, delay)
  }

  /** Stamps the visitor, then stores the item (or holds it in memory until consent). */
  const store = (item: Item) => {
    item.v = identity.get()
    if (item.k != 'events') (item.b as SubscribeRequest).visitor = item.v
    queue.add(item)
    schedule(item.k == 'events' && ++batched < opts.batchSize ? opts.flushInterval : 0)
  }

  const enqueue = (k: ItemKind, b: Item['b']) => {
    const item: Item = { k, v: '', b, c: now(), o: order++, n: 0, t: 0, l: 0 }
    if (isGranted()) store(item)
    else if (consent == 'pending') pending.push(item)
    return b.id
  }

  /** Runs a helper; bad input and any surprise become onError, never an exception in the page. */
  const guard =
    <A>(method: string, call: (input: A) => string | undefined) =>
    (input: A) => {
      if (consent == 'denied') return
      try {
        return call(input)
      } catch (error) {
        log.error(method, (error as Error).message)
      }
    }

  const cart = {
    get id() {
      cartId ??= kv.get(CART) || randomId()
      if (isGranted()) kv.set(CART, cartId)
      return cartId
    },
    reset() {
      cartId = undefined
      kv.remove(CART)
      return cart.id
    },
  }

  const helpers = Object.fromEntries(
    EVENT_TYPES.map((type) => [
      type,
      guard(type, (input: HelperInputs[typeof type]) => {
        const context = { id: randomId(), ts: now(), url: currentUrl(), currencyCode: opts.currencyCode, cartId: '' }
        if (type == 'cartUpdated') context.cartId = cart.id
        const event = buildEvent(type, input ?? {}, context)
        log.debug(type, event.data)
        return enqueue('events', event)
      }),
    ]),
  )

  const request = <T>(k: 'subscribe' | 'identify', check: (input: T) => T) =>
    guard(k, (input: T) =>
      enqueue(k, { ...check(input), v: WIRE_VERSION, id: randomId(), visitor: '', ts: now() } as Item['b']),
    )

  const tracker = {
    ...helpers,
    subscribe: request('subscribe', checkSubscribe),
    identify: request('identify', checkIdentify),
    get visitorId() {
      return isGranted() ? identity.get() : ''
    },
    cart: Object.freeze(cart),
    flush: run,
    reset: () => (isGranted() ? identity.reset() : ''),
    optIn() {
      consent = 'granted'
      kv.set(CONSENT, consent)
      pending.forEach(store)
      pending = []
    },
    optOut() {
      consent = 'denied'
      kv.set(CONSENT, consent)
      pending = []
      queue.clear()
      identity.clear()
      kv.remove(CART)
      cartId = undefined
    },
  } as unknown as Tracker

  if (isGranted()) {
    identity.get() // renews the cookie's lifetime on each visit
    schedule(0) // what earlier pages left undelivered
  }
  onLeave(() => {
    try {
      if (isGranted()) sender.flushOnLeave()
    } catch {}
  })
  onOnline(run)

  if (opts.autoPageViews) {
    const mode = opts.spa || 'history'
    let lastRoute: string | undefined
    const viewIfNewRoute = () => {
      const route = routeKey(currentUrl(), mode)
      if (route != lastRoute) tracker.pageViewed(), (lastRoute = route)
    }
    viewIfNewRoute()
    if (opts.spa) watchHistory(opts.spa, viewIfNewRoute)
  }
  return Object.freeze(tracker)
}
