import type { FastifyInstance } from 'fastify'
import { checkSubscribe } from '../../wire/requests.js'
import { PATHS } from '../../wire/types.js'
import { isCrawlerRequest } from './crawlers.js'
import { MAX_REQUEST_BYTES, type IngestOptions } from './options.js'
import { limitPerVisitor } from './visitor-limit.js'

/**
 * `POST /v1/subscribe`: checks the request, stores it (a repeated id is
 * stored once) and answers 202; the forwarder then calls Subscribe contact and,
 * once eSputnik accepts, links the visitor and replays its held history.
 */
export function subscribeRoute(app: FastifyInstance, o: IngestOptions) {
  app.post<{ Body: unknown }>(
    PATHS.subscribe,
    {
      bodyLimit: MAX_REQUEST_BYTES,
      config: { rateLimit: { max: o.config.subscribeRatePerMinute, timeWindow: 60_000 } },
      preHandler: limitPerVisitor(app, o.config.subscribeRatePerVisitor),
    },
    async (request, reply) => {
      const { v: _v, ...subscribe } = checkSubscribe(request.body) // a ValidationError becomes 400 with its reason
      if (isCrawlerRequest(request, o.config.crawlerFilter)) {
        // The answer a person would get, and nothing stored or sent to eSputnik.
        o.metrics.crawlers.inc({ route: PATHS.subscribe })
        return reply.code(202).send({ accepted: true, id: subscribe.id })
      }
      const { inserted } = await o.store.insertSubscribe({ request: subscribe, receivedAt: o.now() })
      if (inserted) {
        o.metrics.subscribesAccepted.inc()
        o.onQueued()
      }
      return reply.code(202).send({ accepted: true, id: subscribe.id })
    },
  )
}
