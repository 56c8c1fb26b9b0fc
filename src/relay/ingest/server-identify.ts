import type { FastifyInstance } from 'fastify'
import { checkServerIdentify } from '../../wire/requests.js'
import { PATHS } from '../../wire/types.js'
import { locatorsOf } from '../store/links.js'
import { isBearer } from './auth.js'
import { linkVisitor, refuseIdentify } from './link.js'
import { MAX_REQUEST_BYTES, type IngestOptions } from './options.js'

/**
 * `POST /v1/server/identify` from the site's backend, with
 * `Authorization: Bearer <SERVER_TOKEN>`. No CORS: browsers never call it.
 */
export async function serverIdentifyRoute(app: FastifyInstance, o: IngestOptions & { serverToken: string }) {
  // Checked before the body is read: an unauthenticated caller learns nothing, not even a 400.
  app.addHook('onRequest', async (request, reply) => {
    if (isBearer(request.headers.authorization, o.serverToken)) return
    reply.header('www-authenticate', 'Bearer')
    return refuseIdentify(reply, o.metrics, 'Authorization: Bearer <SERVER_TOKEN> is missing or wrong')
  })
  app.post<{ Body: unknown }>(PATHS.serverIdentify, { bodyLimit: MAX_REQUEST_BYTES }, async (request, reply) => {
    const identify = checkServerIdentify(request.body)
    // The backend's call has no browser clock; the link starts now on the relay's.
    await linkVisitor(o, request, 'server', { visitor: identify.visitorId, locators: locatorsOf(identify), since: o.now() })
    return reply.code(202).send({ linked: true })
  })
}
