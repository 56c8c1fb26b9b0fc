import cors from '@fastify/cors'
import rateLimit from '@fastify/rate-limit'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { parseBatch } from '../../wire/batch.js'
import type { BatchResponse } from '../../wire/types.js'
import { PATHS } from '../../wire/types.js'
import type { RelayMetrics } from '../metrics.js'
import type { AnonymousPolicy, Store } from '../store/types.js'

/** The SDK's keepalive fetch caps bodies at 64 KB, so nothing bigger is a real batch. */
export const MAX_BATCH_BYTES = 64 * 1024

export interface EventsRouteOptions {
  store: Store
  metrics: RelayMetrics
  allowedOrigins: string[]
  ingestRatePerMinute: number
  anonymousEvents: AnonymousPolicy
  now: () => number
  /** Called after events were queued, so the forwarder stops idling. */
  onQueued: () => void
}

/** The page a beacon came from, for relative pageViewed urls: its Origin, else its Referer (never `null`). */
export function pageBase(request: FastifyRequest): string | undefined {
  for (const value of [request.headers.origin, request.headers.referer]) {
    if (typeof value == 'string' && /^https?:\/\//i.test(value)) return value
  }
}

function parseJson(_request: FastifyRequest, body: string, done: (err: Error | null, body?: unknown) => void) {
  try {
    done(null, JSON.parse(body))
  } catch (error) {
    const reason = Object.assign(new Error(`body is not valid JSON: ${(error as Error).message}`), { statusCode: 400 })
    done(reason)
  }
}

/**
 * `POST /v1/e`: the SDK's batches. Answers 202 only once the accepted events
 * are committed; a bad event is listed in `rejected` and does not sink the rest.
 */
export async function eventsRoutes(app: FastifyInstance, o: EventsRouteOptions) {
  // sendBeacon and no-preflight fetch send text/plain; both carry the same JSON.
  app.removeContentTypeParser(['application/json', 'text/plain'])
  app.addContentTypeParser(['application/json', 'text/plain'], { parseAs: 'string', bodyLimit: MAX_BATCH_BYTES }, parseJson)

  if (o.allowedOrigins.length) {
    const allowed = new Set(o.allowedOrigins)
    // An exact list; an unknown Origin gets no CORS headers at all.
    await app.register(cors, {
      origin: (origin, cb) => cb(null, origin !== undefined && allowed.has(origin) ? origin : false),
      methods: ['POST'],
      maxAge: 86_400,
    })
  }
  await app.register(rateLimit, { global: false })

  app.post<{ Body: unknown }>(
    PATHS.events,
    { bodyLimit: MAX_BATCH_BYTES, config: { rateLimit: { max: o.ingestRatePerMinute, timeWindow: 60_000 } } },
    async (request, reply) => {
      // A ValidationError of the envelope becomes 400 with its reason; a bad event lands in `rejected`.
      const { visitor, events, rejected } = parseBatch(request.body, { base: pageBase(request) })
      if (events.length) {
        const result = await o.store.insertEvents({
          visitor,
          events,
          receivedAt: o.now(),
          anonymous: o.anonymousEvents,
        })
        o.metrics.duplicates.inc(result.duplicates)
        o.metrics.held.inc(result.held)
        o.metrics.queued.inc(result.queued)
        if (result.queued) o.onQueued()
      }
      o.metrics.accepted.inc(events.length)
      o.metrics.rejected.inc(rejected.length)
      const answer: BatchResponse = { accepted: events.length, rejected }
      return reply.code(202).send(answer)
    },
  )
}
