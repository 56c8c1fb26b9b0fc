import cookie from '@fastify/cookie'
import rateLimit from '@fastify/rate-limit'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { browserCors, notFoundRoutes } from './cors.js'
import { eventsRoute } from './events.js'
import { identifyRoute } from './identify.js'
import { MAX_BATCH_BYTES, type IngestOptions } from './options.js'
import { serverEventsRoute } from './server-events.js'
import { serverIdentifyRoute } from './server-identify.js'
import { serverOrdersRoute } from './server-orders.js'
import { subscribeRoute } from './subscribe.js'
import { telegramLinkRoute, telegramRoutes } from './telegram/index.js'

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
async function browserRoutes(app: FastifyInstance, o: IngestOptions) {
  app.removeContentTypeParser(['application/json', 'text/plain'])
  app.addContentTypeParser(['application/json', 'text/plain'], { parseAs: 'string', bodyLimit: MAX_BATCH_BYTES }, parseJson)

  await browserCors(app, o.config)
  await app.register(rateLimit, { global: false })
  // Parsed only by the events route, and only when the refresh is on.
  if (o.config.visitorCookie) await app.register(cookie, { hook: false })

  eventsRoute(app, o)
  subscribeRoute(app, o)
  identifyRoute(app, o)
  telegramLinkRoute(app, o)
}

/**
 * Every route that takes input: the browsers' in one context, and the site
 * backend's `/v1/server/identify` (no CORS, a bearer token) in another, only
 * when SERVER_TOKEN is set; and the 404s of /v1/ (cors.ts).
 */
export async function ingestRoutes(app: FastifyInstance, o: IngestOptions) {
  if (o.config.identifyTrust == 'unsigned') {
    app.log.warn(
      'IDENTIFY_TRUST=unsigned: browser identify is accepted without a signature, so anyone can join their history to any contact. Development only',
    )
  } else if (!o.config.identifySecret) {
    app.log.info('no IDENTIFY_SECRET: browser identify is refused (401); subscribe and /v1/server/identify still link visitors')
  }
  await app.register(browserRoutes, o)
  const token = o.config.serverToken
  if (token) await app.register(serverIdentifyRoute, { ...o, serverToken: token })
  if (token) await app.register(serverOrdersRoute, { ...o, serverToken: token })
  if (token) await app.register(serverEventsRoute, { ...o, serverToken: token })
  await app.register(telegramRoutes, o)
  await notFoundRoutes(app, o.config)
}
