import type { FastifyInstance } from 'fastify'
import type { AuthPause } from '../forward/auth-pause.js'
import type { RelayMetrics } from './metrics.js'
import type { Store } from '../store/types.js'

export interface HealthRouteOptions {
  store: Store
  metrics: RelayMetrics
  /** The operations paused after a 401/403. */
  pauses: () => AuthPause[]
  now: () => number
}

/** `/healthz` (the process answers), `/readyz` (it can do its job), `/metrics` (Prometheus). */
export async function healthRoutes(app: FastifyInstance, o: HealthRouteOptions) {
  app.get('/healthz', async () => ({ status: 'ok' }))

  app.get('/readyz', async (request, reply) => {
    const problems: string[] = []
    try {
      await o.store.checkWritable(o.now())
    } catch (err) {
      request.log.error({ err }, 'store is not writable')
      problems.push('store is not writable')
    }
    for (const { operation, until, status } of o.pauses()) {
      problems.push(`${operation} paused until ${new Date(until).toISOString()}: eSputnik refused the API key (${status})`)
    }
    return reply.code(problems.length ? 503 : 200).send({ ready: problems.length == 0, problems })
  })

  app.get('/metrics', async (_request, reply) => {
    const text = await o.metrics.registry.metrics()
    return reply.type(o.metrics.registry.contentType).send(text)
  })
}
