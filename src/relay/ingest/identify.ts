import type { FastifyInstance } from 'fastify'
import { checkIdentify, signedSubject } from '../../wire/requests.js'
import { PATHS } from '../../wire/types.js'
import { locatorsOf } from '../store/links.js'
import { isValidSignature } from './auth.js'
import { linkVisitor, refuseIdentify } from './link.js'
import { IDENTIFY_RATE_PER_VISITOR, MAX_REQUEST_BYTES, type IngestOptions } from './options.js'
import { limitPerVisitor } from './visitor-limit.js'

/**
 * `POST /v1/identify` from the browser. Anyone can post any email, so the
 * link is made only with proof from the site's backend: a hex HMAC-SHA256 of
 * externalCustomerId (else the normalised email) under IDENTIFY_SECRET,
 * checked in constant time. Missing or wrong → 401 and nothing is linked.
 */
export function identifyRoute(app: FastifyInstance, o: IngestOptions) {
  const { identifySecret, identifyTrust, ingestRatePerMinute } = o.config
  app.post<{ Body: unknown }>(
    PATHS.identify,
    {
      bodyLimit: MAX_REQUEST_BYTES,
      // As cheap as a beacon (no call to eSputnik), and sites call it on every page load of a logged-in customer.
      config: { rateLimit: { max: ingestRatePerMinute, timeWindow: 60_000 } },
      preHandler: limitPerVisitor(app, IDENTIFY_RATE_PER_VISITOR),
    },
    async (request, reply) => {
      const identify = checkIdentify(request.body) // a ValidationError becomes 400 with its reason
      if (identifyTrust == 'signed') {
        if (!identifySecret) {
          return refuseIdentify(reply, o.metrics, 'identify needs a signature, and this relay has no IDENTIFY_SECRET to check one')
        }
        if (!isValidSignature(identifySecret, signedSubject(identify), identify.signature)) {
          request.log.warn({ visitor: identify.visitor }, 'identify refused: signature missing or wrong')
          return refuseIdentify(
            reply,
            o.metrics,
            'signature is missing or wrong: it must be the hex HMAC-SHA256 of externalCustomerId (else the email, trimmed and lower-cased) under IDENTIFY_SECRET, computed by the site’s backend',
          )
        }
      }
      await linkVisitor(o, request, 'identify', { visitor: identify.visitor, locators: locatorsOf(identify), since: identify.ts })
      return reply.code(202).send({ linked: true })
    },
  )
}
