import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'

/**
 * A second limit keyed by the visitor id of the body, after the per-IP one of
 * the route: one visitor cannot flood eSputnik with subscribes from many IPs.
 * `app` must have @fastify/rate-limit registered (index.ts registers it for the browsers' routes).
 */
export function limitPerVisitor(app: FastifyInstance, max: number) {
  const check = app.createRateLimit({
    max,
    timeWindow: 60_000,
    keyGenerator: (request) => {
      const visitor = (request.body as { visitor?: unknown } | undefined)?.visitor
      return typeof visitor == 'string' ? `visitor:${visitor.slice(0, 64)}` : `ip:${request.ip}`
    },
  })
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const result = await check(request)
    if (result.isAllowed || !result.isExceeded) return
    return reply
      .code(429)
      .header('retry-after', result.ttlInSeconds)
      .send({ error: `rate limit exceeded for this visitor, retry in ${result.ttlInSeconds} s` })
  }
}
