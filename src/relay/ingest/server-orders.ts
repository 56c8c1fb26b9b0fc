import type { FastifyInstance } from 'fastify'
import { parseServerOrders } from '../../wire/orders.js'
import { PATHS } from '../../wire/types.js'
import type { ServerOrdersResponse } from '../../wire/server-types.js'
import type { IngestOptions } from './options.js'
import { requireServerToken } from './server-auth.js'

/** 500 orders of up to 100 lines each, with names and urls: a megabyte leaves room. */
export const MAX_ORDERS_BYTES = 1024 * 1024

/**
 * `POST /v1/server/orders` from the shop's backend (`Authorization: Bearer
 * <SERVER_TOKEN>`, JSON, no CORS): each order status is checked on its own,
 * then all the good ones are stored in one transaction and answered only
 * once committed. Each is answered in order: accepted (queued for its
 * contact, or `held` until its visitor is linked; `duplicate` when this
 * orderId and status were stored before), or refused with the reason; a bad
 * order costs the others nothing. The forwarder then sends each status as
 * its Generate event and as an Add orders row (docs/relay.md, "Orders").
 */
export async function serverOrdersRoute(app: FastifyInstance, o: IngestOptions & { serverToken: string }) {
  requireServerToken(app, o.serverToken)
  app.post<{ Body: unknown }>(PATHS.serverOrders, { bodyLimit: MAX_ORDERS_BYTES }, async (request, reply) => {
    const { orders, refused } = parseServerOrders(request.body) // a ValidationError of the envelope becomes 400
    const answers: ServerOrdersResponse['orders'] = []
    for (const r of refused) answers[r.index] = { ...(r.orderId ? { orderId: r.orderId } : {}), accepted: false, reason: r.reason }
    if (orders.length) {
      const outcomes = await o.store.insertServerOrders({ orders, receivedAt: o.now() })
      orders.forEach(({ index, order }, i) => {
        const outcome = outcomes[i]!
        answers[index] = { orderId: order.orderId, status: order.status, accepted: true, held: outcome == 'held', ...(outcome == 'duplicate' ? { duplicate: true } : {}) }
      })
      if (outcomes.includes('queued')) o.onQueued()
      request.log.info({ orders: orders.length, refused: refused.length, held: outcomes.filter((x) => x == 'held').length }, 'orders from the shop\'s backend')
    }
    const answer: ServerOrdersResponse = { orders: answers }
    return reply.code(202).send(answer)
  })
}
