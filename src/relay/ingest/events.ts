import type { FastifyInstance, FastifyRequest } from 'fastify'
import { parseBatch } from '../../wire/batch.js'
import type { BatchResponse } from '../../wire/types.js'
import { PATHS } from '../../wire/types.js'
import type { LogLevel } from '../ops/config.js'
import { pastBefore } from '../esputnik/past-events.js'
import { isCrawlerRequest } from './crawlers.js'
import { MAX_BATCH_BYTES, type IngestOptions } from './options.js'
import { keepSendable } from './sendable.js'
import { refreshVisitorCookie } from './visitor-cookie.js'

/**
 * The level of `/v1/e`'s own logger. Two access lines per beacon, thousands
 * a second, cost a tenth of the relay's ingest capacity (bench/RESULTS.md,
 * the ingest runs), and /metrics counts the beacons; so at `info` they are
 * left out, and warnings and errors still show. LOG_LEVEL=debug shows them.
 */
export const eventsLogLevel = (level: LogLevel): LogLevel => (level == 'info' ? 'warn' : level)

/** The page a beacon came from, for relative pageViewed urls: its Origin, else its Referer (never `null`). */
export function pageBase(request: FastifyRequest): string | undefined {
  for (const value of [request.headers.origin, request.headers.referer]) {
    if (typeof value == 'string' && /^https?:\/\//i.test(value)) return value
  }
}

/**
 * `POST /v1/e`: the SDK's batches. Answers 202 only once the accepted events
 * are committed; a bad event is listed in `rejected` and does not sink the rest.
 */
export function eventsRoute(app: FastifyInstance, o: IngestOptions) {
  const { anonymousEvents, heldMaxPerVisitor, ingestRatePerMinute, logLevel } = o.config
  const visitorCookie = o.config.visitorCookie ? { name: o.config.visitorCookie, domain: o.config.visitorCookieDomain } : undefined
  app.post<{ Body: unknown }>(
    PATHS.events,
    { bodyLimit: MAX_BATCH_BYTES, logLevel: eventsLogLevel(logLevel), config: { rateLimit: { max: ingestRatePerMinute, timeWindow: 60_000 } } },
    async (request, reply) => {
      // A ValidationError of the envelope becomes 400 with its reason; a bad event lands in `rejected`,
      // and so does one eSputnik would refuse (a custom type CUSTOM_EVENT_TYPES does not list, a body over 20 KB).
      const parsed = parseBatch(request.body, { base: pageBase(request), customTypes: o.config.customEventTypes })
      const { visitor } = parsed
      const { events, refused } = keepSendable(parsed.events)
      const rejected = [...parsed.rejected, ...refused]
      // A crawler gets the answer a person would, and nothing of its batch is stored.
      const crawler = isCrawlerRequest(request, o.config.crawlerFilter)
      if (crawler) o.metrics.crawlers.inc({ route: PATHS.events })
      if (events.length && !crawler) {
        const receivedAt = o.now()
        const result = await o.store.insertEvents({
          visitor,
          events,
          receivedAt,
          anonymous: anonymousEvents,
          maxHeld: heldMaxPerVisitor,
          pastBefore: pastBefore(o.config, receivedAt),
        })
        o.metrics.duplicates.inc(result.duplicates)
        o.metrics.held.inc(result.held)
        o.metrics.queued.inc(result.queued)
        o.metrics.heldDropped.inc({ reason: 'cap' }, result.dropped)
        if (result.queued) o.onQueued()
      }
      if (visitorCookie) {
        const cookie = refreshVisitorCookie(visitorCookie, app.parseCookie(request.headers.cookie ?? ''), visitor, request.protocol == 'https')
        if (cookie) reply.setCookie(cookie.name, cookie.value, cookie.attributes)
      }
      if (!crawler) {
        o.metrics.accepted.inc(events.length)
        o.metrics.rejected.inc(rejected.length)
      }
      const answer: BatchResponse = { accepted: events.length, rejected }
      return reply.code(202).send(answer)
    },
  )
}
