import type { FastifyInstance, FastifyRequest } from 'fastify'
import { parseBatch } from '../../wire/batch.js'
import type { BatchResponse } from '../../wire/types.js'
import { PATHS } from '../../wire/types.js'
import { refreshVisitorCookie } from '../visitor-cookie.js'
import type { IngestRouteOptions } from './ingest.js'

/** The SDK's keepalive fetch caps bodies at 64 KB, so nothing bigger is a real batch. */
export const MAX_BATCH_BYTES = 64 * 1024

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
export function eventsRoute(app: FastifyInstance, o: IngestRouteOptions) {
  app.post<{ Body: unknown }>(
    PATHS.events,
    { bodyLimit: MAX_BATCH_BYTES, logLevel: o.eventsLogLevel, config: { rateLimit: { max: o.ingestRatePerMinute, timeWindow: 60_000 } } },
    async (request, reply) => {
      // A ValidationError of the envelope becomes 400 with its reason; a bad event lands in `rejected`.
      const { visitor, events, rejected } = parseBatch(request.body, { base: pageBase(request) })
      if (events.length) {
        const result = await o.store.insertEvents({
          visitor,
          events,
          receivedAt: o.now(),
          anonymous: o.anonymousEvents,
          maxHeld: o.heldMaxPerVisitor,
        })
        o.metrics.duplicates.inc(result.duplicates)
        o.metrics.held.inc(result.held)
        o.metrics.queued.inc(result.queued)
        o.metrics.heldDropped.inc({ reason: 'cap' }, result.dropped)
        if (result.queued) o.onQueued()
      }
      if (o.visitorCookie) {
        const cookie = refreshVisitorCookie(o.visitorCookie, app.parseCookie(request.headers.cookie ?? ''), visitor, request.protocol == 'https')
        if (cookie) reply.setCookie(cookie.name, cookie.value, cookie.attributes)
      }
      o.metrics.accepted.inc(events.length)
      o.metrics.rejected.inc(rejected.length)
      const answer: BatchResponse = { accepted: events.length, rejected }
      return reply.code(202).send(answer)
    },
  )
}
