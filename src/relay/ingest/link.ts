import type { FastifyReply, FastifyRequest } from 'fastify'
import { pastBefore } from '../esputnik/past-events.js'
import type { RelayMetrics } from '../ops/metrics.js'
import type { NewLink } from '../store/types.js'
import type { IngestOptions } from './options.js'

/** Links a visitor and, when held history was released, wakes the forwarder to replay it. */
export async function linkVisitor(
  o: IngestOptions,
  request: FastifyRequest,
  source: 'identify' | 'server',
  link: Omit<NewLink, 'at' | 'heldAfter'>,
) {
  const at = o.now()
  const result = await o.store.linkVisitor({ ...link, at, heldAfter: at - o.config.heldTtlMs, pastBefore: pastBefore(o.config, at) })
  if (result.changed) {
    o.metrics.links.inc({ source })
    // The logger masks the email and phone of the locators.
    request.log.info({ visitor: link.visitor, locators: link.locators, released: result.released, source }, 'visitor linked to a contact')
  }
  if (result.released || result.tokens) o.onQueued()
  return result
}

/** 401 for an identify without the proof it needs, counted. */
export function refuseIdentify(reply: FastifyReply, metrics: RelayMetrics, error: string) {
  metrics.identifyRefused.inc()
  return reply.code(401).send({ error })
}
