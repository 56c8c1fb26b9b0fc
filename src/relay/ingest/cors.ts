import cors from '@fastify/cors'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { IngestConfig } from './options.js'

/**
 * CORS for ALLOWED_ORIGINS, in the context it is registered in: an exact
 * list, so an unknown Origin gets no CORS headers at all; no credentials.
 */
export async function browserCors(app: FastifyInstance, config: Pick<IngestConfig, 'allowedOrigins'>) {
  if (!config.allowedOrigins.length) return
  const allowed = new Set(config.allowedOrigins)
  await app.register(cors, {
    origin: (origin, cb) => cb(null, origin !== undefined && allowed.has(origin) ? origin : false),
    methods: ['POST'],
    maxAge: 86_400,
  })
}

/** Fastify's own 404 answer (its default not-found handler's body). */
function answerNotFound(request: FastifyRequest, reply: FastifyReply) {
  const { method, url } = request.raw
  return reply.code(404).send({ message: `Route ${method}:${url} not found`, error: 'Not Found', statusCode: 404 })
}

/**
 * The 404 of a path under /v1/ that is no route carries the browser routes'
 * CORS, so a page reads it: the SDK's telegramLink() against a relay without
 * the Telegram settings (no /v1/telegram/link) tells onError 'HTTP 404' rather
 * than the 'network error' a CORS refusal looks like. Fastify answers an
 * unknown path with the not-found handler of the longest prefix, run with the
 * hooks of the context that set it; so /v1/server/ gets one of its own in a
 * context without CORS, like the backend's routes (they are called from a
 * server, and a browser must not read their answers). Every other path keeps
 * fastify's default 404.
 */
export async function notFoundRoutes(app: FastifyInstance, config: Pick<IngestConfig, 'allowedOrigins'>) {
  await app.register(
    async (browserPaths) => {
      await browserCors(browserPaths, config)
      browserPaths.setNotFoundHandler(answerNotFound)
    },
    { prefix: '/v1' },
  )
  await app.register(async (serverPaths) => void serverPaths.setNotFoundHandler(answerNotFound), { prefix: '/v1/server' })
}
