import cookie from '@fastify/cookie'
import cors from '@fastify/cors'
import rateLimit from '@fastify/rate-limit'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import type { LogLevel } from '../config.js'
import type { RelayMetrics } from '../metrics.js'
import type { AnonymousPolicy, Store } from '../store/types.js'
import type { VisitorCookieOptions } from '../visitor-cookie.js'
import { eventsRoute, MAX_BATCH_BYTES } from './events.js'
import { identifyRoute } from './identify.js'
import { subscribeRoute } from './subscribe.js'

export interface IngestRouteOptions {
  store: Store
  metrics: RelayMetrics
  allowedOrigins: string[]
  ingestRatePerMinute: number
  anonymousEvents: AnonymousPolicy
  heldMaxPerVisitor: number
  /** Held events older than this are not replayed by a link. */
  heldTtlMs: number
  /** Per IP, and per visitor id, for subscribe (identify takes ingestRatePerMinute per IP). */
  subscribeRatePerMinute: number
  subscribeRatePerVisitor: number
  identifySecret: string | undefined
  identifyTrust: 'signed' | 'unsigned'
  /** Level of `/v1/e`'s own logger: its per-request lines are info, so `warn` leaves only problems. */
  eventsLogLevel: LogLevel
  /** Re-issue the SDK's visitor cookie on each batch (off when unset); see visitor-cookie.ts. */
  visitorCookie?: VisitorCookieOptions
  now: () => number
  /** Called after jobs were queued, so the forwarder stops idling. */
  onQueued: () => void
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
 * What browsers call: `/v1/e`, `/v1/subscribe`, `/v1/identify`. One context
 * with the SDK's content types (sendBeacon and no-preflight fetch send
 * text/plain; both carry the same JSON), CORS for ALLOWED_ORIGINS and the
 * per-IP rate limits.
 */
export async function ingestRoutes(app: FastifyInstance, o: IngestRouteOptions) {
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
  // Parsed only by the events route, and only when the refresh is on.
  if (o.visitorCookie) await app.register(cookie, { hook: false })

  eventsRoute(app, o)
  subscribeRoute(app, o)
  identifyRoute(app, o)
}
