import type { FastifyInstance } from 'fastify'
import { whatToFix, type AuthPause } from '../forward/auth-pause.js'
import type { RelayMetrics } from './metrics.js'
import type { Store } from '../store/types.js'

export interface HealthRouteOptions {
  store: Store
  metrics: RelayMetrics
  /** The operations paused after a 401/403. */
  pauses: () => AuthPause[]
  /** The forwarder's breaker holds calls back. */
  isBreakerOpen: () => boolean
  now: () => number
}

/** `/readyz`'s body. */
export interface Readiness {
  /** This node can take traffic: its store takes a write. */
  ready: boolean
  /** Why it cannot (the status is then 503). */
  problems: string[]
  /** What is wrong upstream but does not keep the node from taking traffic (the status stays 200). */
  warnings: string[]
  paused: { operation: string; until: string; status: number | undefined; scope?: string }[]
  breakerOpen: boolean
}

/**
 * `/healthz` (the process answers), `/readyz` (it can take traffic),
 * `/metrics` (Prometheus). Only the store decides readiness: a paused
 * operation or an open breaker concerns every node alike (one API key, one
 * eSputnik), so a balancer that took nodes out for it would take them all
 * out, and the beacons they would have stored would be lost. They are named
 * in the body and in metrics instead.
 */
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
    const pauses = o.pauses()
    const paused = pauses.map(({ operation, until, status, scope }) => ({ operation, until: new Date(until).toISOString(), status, scope }))
    // A pause with a reason of its own (EVENT_SEGMENTATION_DISABLED for past events) says it; the others are a refused key.
    const warnings = paused.map(({ operation, until, status, scope }, i) =>
      pauses[i]!.reason
        ? `${operation} paused until ${until}: ${pauses[i]!.reason}`
        : `${operation} paused until ${until}: eSputnik refused the API key (${status}); its jobs wait in the store. ${whatToFix(status, scope)}`,
    )
    const breakerOpen = o.isBreakerOpen()
    if (breakerOpen) warnings.push('eSputnik keeps failing: the breaker holds calls back, one probe per backoff step; jobs wait in the store')
    const body: Readiness = { ready: problems.length == 0, problems, warnings, paused, breakerOpen }
    return reply.code(problems.length ? 503 : 200).send(body)
  })

  app.get('/metrics', async (_request, reply) => {
    const text = await o.metrics.registry.metrics()
    return reply.type(o.metrics.registry.contentType).send(text)
  })
}
