import type { FastifyInstance } from 'fastify'
import { isBearer } from './auth.js'

/**
 * For a context of the shop's backend routes (`/v1/server/…`): every request
 * must carry `Authorization: Bearer <SERVER_TOKEN>`, checked before the body
 * is read, so an unauthenticated caller learns nothing, not even a 400.
 * `onRefused` counts the refusal (a metric) before the 401 goes.
 */
export function requireServerToken(app: FastifyInstance, serverToken: string, onRefused?: () => void): void {
  app.addHook('onRequest', async (request, reply) => {
    if (isBearer(request.headers.authorization, serverToken)) return
    onRefused?.()
    return reply.code(401).header('www-authenticate', 'Bearer').send({ error: 'Authorization: Bearer <SERVER_TOKEN> is missing or wrong' })
  })
}
