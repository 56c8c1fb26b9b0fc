import type { TrackerError } from './types.js'

/** The site's consent state at load; see `consent`. */
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
   * @defaultValue 'sc'
   */
  cookieName?: string
  /**
   * Cookie domain, e.g. `example.com` so `shop.` and `blog.example.com`
   * share the visitor. Unset, the cookie belongs to the page's host only.
   * @defaultValue undefined (host-only)
   */
  cookieDomain?: string
  /**
   * Cookie lifetime in days, renewed on every visit. Browsers cap cookies at 400 days.
   * @defaultValue 400
   */
  cookieDays?: number
  /**
   * Send a `pageViewed` on load and, with `spa`, on each route change.
   * @defaultValue true
   */
  autoPageViews?: boolean
  /**
   * How a single-page app changes routes: `history` (pushState, replaceState,
   * popstate), `hash` (also hashchange, `#/route`), or `false` (page loads only).
   * A rewrite of the same route (scroll state, `/` → `/#/`) is never a new view.
   * @defaultValue 'history'
   */
  spa?: 'history' | 'hash' | false
  /**
   * ISO 4217 currency added to product and cart events that name none.
   * @defaultValue undefined (eSputnik uses the organisation's currency)
   */
  currencyCode?: string
  /**
   * `granted` tracks; `pending` keeps events in memory until `optIn()`;
   * `denied` sends nothing and stores no id. A visitor's own `optIn()` /
   * `optOut()` is remembered in localStorage (`esputnik:consent`) across page
   * loads and wins over `pending` and `granted`; `denied` always wins.
   * @defaultValue 'granted'
   */
  consent?: Consent
  /**
   * Treat `navigator.globalPrivacyControl` as `consent: 'denied'`.
   * @defaultValue false
   */
  respectGPC?: boolean
  /**
   * Log each event, each retry with its cause, and each refusal to the console.
   * @defaultValue false
   */
  debug?: boolean
  /**
   * Called once per event (or subscribe, identify) the relay refuses, with
   * the helper's name, the id and the reason; once for a request whose
   * delivery keeps failing (network, CORS, 5xx); and once for a
   * `telegramLink()` that got no link. See {@link TrackerError}.
   * The SDK never throws into the page; an `onError` that throws is ignored.
   * On the script tag: `esputnik('onError', function (error) {…})`.
   * @defaultValue undefined
   */
  onError?: (error: TrackerError) => void
  /**
   * Milliseconds to gather events into one request.
   * @defaultValue 1000
   */
  flushInterval?: number
  /**
   * Events per request; reaching it sends at once.
   * @defaultValue 20
   */
  batchSize?: number
  /**
   * Most undelivered events kept in localStorage; the oldest go first.
   * @defaultValue 500
   */
  maxQueueEvents?: number
  /**
   * Most bytes of undelivered events kept in localStorage; the oldest go first.
   * @defaultValue 262144
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
