/** What `onError` receives: which call failed and why. */
export interface TrackerError {
  /** The helper or step that failed, e.g. `productViewed` or `send`. */
  method: string
  /** A sentence naming the field and what it should be, or the relay's answer. */
  message: string
}

export type Consent = 'granted' | 'pending' | 'denied'

export interface TrackerOptions {
  /**
   * Where your relay answers, e.g. `https://shop.example.com/es` or
   * `https://relay.example.com`. Events go to `{endpoint}/v1/e`. Required.
   */
  endpoint: string
  /**
   * Name of the first-party cookie that keeps the visitor id. `sc` is the
   * name eSputnik's own web script uses, so an existing value is reused and
   * both scripts agree on the visitor.
   * @default 'sc'
   */
  cookieName?: string
  /**
   * Cookie domain, e.g. `example.com` so `shop.` and `blog.example.com`
   * share the visitor. Unset, the cookie belongs to the page's host only.
   * @default undefined (host-only)
   */
  cookieDomain?: string
  /**
   * Cookie lifetime in days, renewed on every visit. Browsers cap cookies at 400 days.
   * @default 400
   */
  cookieDays?: number
  /**
   * Send a `pageViewed` on load and, with `spa`, on each route change.
   * @default true
   */
  autoPageViews?: boolean
  /**
   * How a single-page app changes routes: `history` (pushState, replaceState,
   * popstate), `hash` (also hashchange, `#/route`), or `false` (page loads only).
   * A rewrite of the same route (scroll state, `/` → `/#/`) is never a new view.
   * @default 'history'
   */
  spa?: 'history' | 'hash' | false
  /**
   * ISO 4217 currency added to product and cart events that name none.
   * @default undefined (eSputnik uses the organisation's currency)
   */
  currencyCode?: string
  /**
   * `granted` tracks; `pending` keeps events in memory until `optIn()`;
   * `denied` sends nothing and stores no id. A visitor's own `optIn()` /
   * `optOut()` is remembered and wins over `pending` and `granted`.
   * @default 'granted'
   */
  consent?: Consent
  /**
   * Treat `navigator.globalPrivacyControl` as `consent: 'denied'`.
   * @default false
   */
  respectGPC?: boolean
  /**
   * Log each event, send and rejection to the console.
   * @default false
   */
  debug?: boolean
  /**
   * Called with the reason when a call is refused (bad input) or the relay
   * refuses a request. The SDK never throws into the page.
   * @default undefined
   */
  onError?: (error: TrackerError) => void
  /**
   * Milliseconds to gather events into one request.
   * @default 1000
   */
  flushInterval?: number
  /**
   * Events per request; reaching it sends at once.
   * @default 20
   */
  batchSize?: number
  /**
   * Most undelivered events kept in localStorage; the oldest go first.
   * @default 500
   */
  maxQueueEvents?: number
  /**
   * Most bytes of undelivered events kept in localStorage; the oldest go first.
   * @default 262144
   */
  maxQueueBytes?: number
}

export type ResolvedOptions = TrackerOptions & Required<Pick<TrackerOptions, keyof typeof DEFAULTS>>

/** The defaults that are not `undefined` or `false`. */
export const DEFAULTS = {
  cookieName: 'sc',
  cookieDays: 400,
  autoPageViews: true,
  spa: 'history',
  consent: 'granted',
  flushInterval: 1000,
  batchSize: 20,
  maxQueueEvents: 500,
  maxQueueBytes: 262144,
} as const

/** Misuse fails here, once, at set-up: a tracker without an endpoint can do nothing. */
export function resolveOptions(options: TrackerOptions): ResolvedOptions {
  if (!options?.endpoint) throw Error('esputnik: endpoint is required')
  return { ...DEFAULTS, ...options, endpoint: options.endpoint.replace(/\/+$/, '') }
}
