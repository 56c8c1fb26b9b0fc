import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { checkIdentify, checkServerIdentify, signedSubject } from '../../wire/requests.js'
import { PATHS } from '../../wire/types.js'
import { isBearer, isValidSignature } from '../auth.js'
import type { RelayMetrics } from '../metrics.js'
import { locatorsOf } from '../store/links.js'
import type { NewLink } from '../store/types.js'
import type { IngestRouteOptions } from './ingest.js'
import { limitPerVisitor } from './visitor-limit.js'
import { MAX_REQUEST_BYTES } from './subscribe.js'

/** Identify calls one visitor id may post per minute: a page load a second, and more. */
export const IDENTIFY_RATE_PER_VISITOR = 60

type LinkOptions = Pick<IngestRouteOptions, 'store' | 'metrics' | 'heldTtlMs' | 'now' | 'onQueued'>

/** Links and, when held history was released, wakes the forwarder to replay it. */
async function link(o: LinkOptions, request: FastifyRequest, source: 'identify' | 'server', l: Omit<NewLink, 'at' | 'heldAfter'>) {
  const at = o.now()
  const result = await o.store.linkVisitor({ ...l, at, heldAfter: at - o.heldTtlMs })
  if (result.changed) {
    o.metrics.links.inc({ source })
    // The logger masks the email and phone of the locators.
    request.log.info({ visitor: l.visitor, locators: l.locators, released: result.released, source }, 'visitor linked to a contact')
  }
  if (result.released) o.onQueued()
  return result
}

function refuse(reply: FastifyReply, metrics: RelayMetrics, error: string) {
  metrics.identifyRefused.inc()
  return reply.code(401).send({ error })
}

/**
 * `POST /v1/identify` from the browser. Anyone can post any email, so the
 * link is made only with proof from the site's backend: a hex HMAC-SHA256 of
 * externalCustomerId (else the normalised email) under IDENTIFY_SECRET,
 * checked in constant time. Missing or wrong → 401 and nothing is linked.
 */
export function identifyRoute(app: FastifyInstance, o: IngestRouteOptions) {
  app.post<{ Body: unknown }>(
    PATHS.identify,
    {
      bodyLimit: MAX_REQUEST_BYTES,
      // As cheap as a beacon (no call to eSputnik), and sites call it on every page load of a logged-in customer.
      config: { rateLimit: { max: o.ingestRatePerMinute, timeWindow: 60_000 } },
      preHandler: limitPerVisitor(app, IDENTIFY_RATE_PER_VISITOR),
    },
    async (request, reply) => {
      const identify = checkIdentify(request.body) // a ValidationError becomes 400 with its reason
      if (o.identifyTrust == 'signed') {
        if (!o.identifySecret) {
          return refuse(reply, o.metrics, 'identify needs a signature, and this relay has no IDENTIFY_SECRET to check one')
        }
        if (!isValidSignature(o.identifySecret, signedSubject(identify), identify.signature)) {
          request.log.warn({ visitor: identify.visitor }, 'identify refused: signature missing or wrong')
          return refuse(
            reply,
            o.metrics,
            'signature is missing or wrong: it must be the hex HMAC-SHA256 of externalCustomerId (else the email, trimmed and lower-cased) under IDENTIFY_SECRET, computed by the site’s backend',
          )
        }
      }
      await link(o, request, 'identify', { visitor: identify.visitor, locators: locatorsOf(identify), since: identify.ts })
      return reply.code(202).send({ linked: true })
    },
  )
}

export interface ServerRouteOptions extends LinkOptions {
  serverToken: string
}

/**
 * `POST /v1/server/identify` from the site's backend, with
 * `Authorization: Bearer <SERVER_TOKEN>`. No CORS: browsers never call it.
 */
export async function serverRoutes(app: FastifyInstance, o: ServerRouteOptions) {
  // Checked before the body is read: an unauthenticated caller learns nothing, not even a 400.
  app.addHook('onRequest', async (request, reply) => {
    if (isBearer(request.headers.authorization, o.serverToken)) return
    reply.header('www-authenticate', 'Bearer')
    return refuse(reply, o.metrics, 'Authorization: Bearer <SERVER_TOKEN> is missing or wrong')
  })
  app.post<{ Body: unknown }>(PATHS.serverIdentify, { bodyLimit: MAX_REQUEST_BYTES }, async (request, reply) => {
    const identify = checkServerIdentify(request.body)
    // The backend's call has no browser clock; the link starts now on the relay's.
    await link(o, request, 'server', { visitor: identify.visitorId, locators: locatorsOf(identify), since: o.now() })
    return reply.code(202).send({ linked: true })
  })
}
