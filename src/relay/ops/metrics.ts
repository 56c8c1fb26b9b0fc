import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client'
import type { JobKind, StoreCounts } from '../store/types.js'

/**
 * Prometheus metrics on a registry of their own, so two relays in one process
 * (tests) do not share counters.
 */
export interface RelayMetrics {
  registry: Registry
  accepted: Counter
  rejected: Counter
  duplicates: Counter
  held: Counter
  queued: Counter
  sent: Counter
  retried: Counter
  dead: Counter<'reason'>
  /** outcome: ok, retry, dead or auth; operation: the upstream operation's name (esputnik/registry.ts). */
  upstreamSeconds: Histogram<'outcome' | 'operation'>
  /** 1 while the operation is paused after eSputnik refused the API key for it. */
  paused: Gauge<'operation'>
  subscribesAccepted: Counter
  subscribesSent: Counter
  subscribesDead: Counter
  /** source: subscribe, identify (browser, signed) or server (the site's backend). */
  links: Counter<'source'>
  identifyRefused: Counter
  replayed: Counter
  /** reason: cap (HELD_EVENTS_MAX_PER_VISITOR) or expired (HELD_EVENTS_TTL_DAYS). */
  heldDropped: Counter<'reason'>
  /** route: the path a crawler posted to (`/v1/e`, `/v1/subscribe`), answered as usual and stored nowhere. */
  crawlers: Counter<'route'>
  /** Telegram webhook updates by what they did: bound, again, held, duplicate, refused, ignored. */
  telegramUpdates: Counter<'outcome'>
  /** Counts a job eSputnik accepted, on its kind's counter. */
  jobSent(kind: JobKind): void
  /** Counts a job moved to dead letters, on its kind's counter. */
  jobDead(kind: JobKind, reason: 'mapping' | 'upstream' | 'expired'): void
}

export interface MetricsOptions {
  /** Read at scrape time for the queue gauges; a failure (the database is down) keeps their last values and sets `store_up` 0. */
  counts: () => Promise<StoreCounts>
  /** Told why the counts failed, once per scrape. */
  onCountsError?: (error: unknown) => void
  /** Read at scrape time: the forwarder's breaker holds calls back. @defaultValue never */
  isBreakerOpen?: () => boolean
  now?: () => number
  /** Process metrics (CPU, memory, event loop); off in tests. */
  defaults?: boolean
}

const PREFIX = 'esputnik_relay_'

/**
 * Longest wait for the store's counts in a scrape: a database that is away
 * must not make the scrape time out (Prometheus' default is 10 s), since the
 * scrape is how the outage is seen.
 */
export const SCRAPE_STORE_TIMEOUT_MS = 3000

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`the store did not answer within ${ms} ms`)), ms)
    timer.unref()
  })
  return Promise.race([promise, late]).finally(() => clearTimeout(timer))
}

export function createMetrics(options: MetricsOptions): RelayMetrics {
  const registry = new Registry()
  const now = options.now ?? Date.now
  if (options.defaults) collectDefaultMetrics({ register: registry, prefix: PREFIX })
  const counter = (name: string, help: string) =>
    new Counter({ name: PREFIX + name, help, registers: [registry] })
  const labelled = <L extends string>(name: string, help: string, label: L) =>
    new Counter<L>({ name: PREFIX + name, help, labelNames: [label], registers: [registry] })

  // The store gauges read the same counts; one store query per scrape. Undefined: the store failed.
  let cached: { at: number; value: Promise<StoreCounts | undefined> } | undefined
  const readCounts = () =>
    withTimeout(options.counts(), SCRAPE_STORE_TIMEOUT_MS).catch((error: unknown) => {
      options.onCountsError?.(error)
      return undefined
    })
  const counts = () => {
    if (!cached || now() - cached.at > 500) cached = { at: now(), value: readCounts() }
    return cached.value
  }

  // Without counts the queue gauges keep their last values (prom-client cannot leave an unlabelled gauge out); store_up 0 says they are stale.
  new Gauge({
    name: PREFIX + 'jobs',
    help: 'Events in the store by state (the last counts while store_up is 0)',
    labelNames: ['state'],
    registers: [registry],
    async collect() {
      const c = await counts()
      if (c) for (const state of ['held', 'queued', 'sent', 'dead'] as const) this.set({ state }, c[state])
    },
  })
  new Gauge({
    name: PREFIX + 'queue_age_seconds',
    help: 'Age of the oldest queued event (0 when the queue is empty; the last value while store_up is 0)',
    registers: [registry],
    async collect() {
      const c = await counts()
      if (c) this.set(c.oldestQueuedAt === null ? 0 : Math.max(0, (now() - c.oldestQueuedAt) / 1000))
    },
  })
  new Gauge({
    name: PREFIX + 'store_up',
    help: `1 when the store answered this scrape's count, 0 when it failed or took over ${SCRAPE_STORE_TIMEOUT_MS / 1000} s`,
    registers: [registry],
    async collect() {
      this.set((await counts()) ? 1 : 0)
    },
  })
  new Gauge({
    name: PREFIX + 'upstream_breaker_open',
    help: '1 while the breaker holds calls to eSputnik back after a run of retryable failures (one probe per backoff step)',
    registers: [registry],
    collect() {
      this.set(options.isBreakerOpen?.() ? 1 : 0)
    },
  })

  const sent = counter('events_sent_total', 'Events eSputnik accepted')
  const dead = labelled('events_dead_total', 'Events moved to dead letters', 'reason')
  const subscribesSent = counter('subscribes_sent_total', 'Subscribe contact calls eSputnik accepted (409, a repeat within a minute, included)')
  const subscribesDead = counter('subscribes_dead_total', 'Subscribe requests moved to dead letters')
  // Each kind of job on its own counters, the names dashboards already use.
  const tokensSent = counter('telegram_tokens_sent_total', 'Telegram chat tokens eSputnik accepted (Add application tokens)')
  const tokensDead = counter('telegram_tokens_dead_total', 'Telegram chat tokens moved to dead letters')
  // call: `event` (the status's Generate event) or `add` (its Add orders row).
  const ordersSent = labelled('orders_sent_total', 'Order statuses eSputnik accepted, by call: event (Generate event) or add (Add orders)', 'call')
  const ordersDead = labelled('orders_dead_total', 'Order statuses moved to dead letters, by call: event or add', 'call')
  const sentOf: Record<JobKind, () => void> = {
    event: () => sent.inc(),
    subscribe: () => subscribesSent.inc(),
    tokens: () => tokensSent.inc(),
    order: () => ordersSent.inc({ call: 'add' }),
    'order-event': () => ordersSent.inc({ call: 'event' }),
  }
  const deadOf: Record<JobKind, (reason: string) => void> = {
    event: (reason) => dead.inc({ reason }),
    subscribe: () => subscribesDead.inc(),
    tokens: () => tokensDead.inc(),
    order: () => ordersDead.inc({ call: 'add' }),
    'order-event': () => ordersDead.inc({ call: 'event' }),
  }

  return {
    registry,
    accepted: counter('events_accepted_total', 'Events accepted by POST /v1/e (duplicates included)'),
    rejected: counter('events_rejected_total', 'Events refused by POST /v1/e with a reason'),
    duplicates: counter('events_duplicate_total', 'Accepted events whose id was already stored'),
    held: counter('events_held_total', 'Events held until their visitor is linked to a contact'),
    queued: counter('events_queued_total', 'Events queued for eSputnik'),
    sent,
    retried: counter('events_retried_total', 'Failed calls scheduled for another attempt'),
    dead,
    upstreamSeconds: new Histogram({
      name: PREFIX + 'upstream_request_duration_seconds',
      help: 'Latency of calls to eSputnik, by outcome and operation',
      labelNames: ['outcome', 'operation'],
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    paused: new Gauge({
      name: PREFIX + 'upstream_paused',
      help: '1 while an operation is paused after eSputnik refused the API key for it',
      labelNames: ['operation'],
      registers: [registry],
    }),
    subscribesAccepted: counter('subscribes_accepted_total', 'Subscribe requests stored by POST /v1/subscribe (repeats of an id not counted)'),
    subscribesSent,
    subscribesDead,
    links: labelled('links_total', 'Visitors linked to a contact, or to another one (repeats of the same link not counted)', 'source'),
    identifyRefused: counter('identify_refused_total', 'Identify calls refused with 401: signature or server token missing or wrong'),
    replayed: counter('events_replayed_total', 'Held events eSputnik accepted after their visitor was linked'),
    heldDropped: labelled('events_held_dropped_total', 'Held events deleted unsent: over HELD_EVENTS_MAX_PER_VISITOR (cap) or past HELD_EVENTS_TTL_DAYS (expired)', 'reason'),
    crawlers: labelled('crawler_requests_total', 'Beacons and subscribes from crawlers, answered as usual and stored nowhere (CRAWLER_FILTER)', 'route'),
    telegramUpdates: labelled('telegram_updates_total', 'Telegram webhook updates by what they did (bound, again, duplicate, refused, ignored)', 'outcome'),
    jobSent: (kind) => sentOf[kind](),
    jobDead: (kind, reason) => deadOf[kind](reason),
  }
}
