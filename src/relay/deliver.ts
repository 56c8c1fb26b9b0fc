import type { EsputnikClient } from './esputnik/client.js'
import { MappingError } from './esputnik/errors.js'
import { operationFor } from './esputnik/registry.js'
import type { Job, LinkRequest } from './store/types.js'

export interface DeliverOptions {
  client: EsputnikClient
  /** Add `occurredAt` to replayed history (REPLAY_OCCURRED_AT). */
  replayOccurredAt: boolean
}

/** A successful call; a subscribe also names the link it makes (the forwarder adds the TTL cut). */
export interface Delivered {
  link?: Omit<LinkRequest, 'heldAfter'>
}

/**
 * Builds the call a job needs with the operation that carries it. Building
 * throws a MappingError when eSputnik would refuse the body, so no call is
 * made for it; the returned function makes the call when the pacer allows,
 * and throws an UpstreamError on failure.
 */
export function prepareDelivery(job: Job, o: DeliverOptions): () => Promise<Delivered> {
  const context = { replayOccurredAt: o.replayOccurredAt, now: Date.now() }
  const operation = operationFor(job, context)
  if (!operation) throw new MappingError(`no upstream operation carries a ${job.kind} job`)
  const body = operation.toBody([operation.toItem(job, context)])
  return async () => {
    const reply = await operation.send(o.client, body)
    const [result] = operation.results?.(reply, [job]) ?? [{ outcome: 'sent' as const }]
    return result?.outcome == 'sent' && result.link ? { link: result.link } : {}
  }
}

/** For logs and dead letters: the event type, or `subscribe`. */
export const jobType = (job: Job): string => (job.kind == 'subscribe' ? 'subscribe' : job.event.type)
