import type { FastifyInstance } from 'fastify'
import { checkSubscribe } from '../../wire/requests.js'
import { PATHS } from '../../wire/types.js'
import type { IngestRouteOptions } from './ingest.js'
import { limitPerVisitor } from './visitor-limit.js'

/** Subscribe and identify bodies are a form's worth of fields. */
export const MAX_REQUEST_BYTES = 16 * 1024

/**
 * `POST /v1/subscribe`: checks the request, stores it (a repeated id is
 * stored once) and answers 202; the forwarder then calls Subscribe contact and,
 * once eSputnik accepts, links the visitor and replays its held history.
 */
export function subscribeRoute(app: FastifyInstance, o: IngestRouteOptions) {
  app.post<{ Body: unknown }>(
    PATHS.subscribe,
    {
      bodyLimit: MAX_REQUEST_BYTES,
      config: { rateLimit: { max: o.subscribeRatePerMinute, timeWindow: 60_000 } },
      preHandler: limitPerVisitor(app, o.subscribeRatePerVisitor),
    },
    async (request, reply) => {
      const { v: _v, ...subscribe } = checkSubscribe(request.body) // a ValidationError becomes 400 with its reason
      const { inserted } = await o.store.insertSubscribe({ request: subscribe, receivedAt: o.now() })
      if (inserted) {
        o.metrics.subscribesAccepted.inc()
        o.onQueued()
      }
      return reply.code(202).send({ accepted: true, id: subscribe.id })
    },
  )
}
