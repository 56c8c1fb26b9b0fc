import type { EsputnikClient } from './esputnik.js'
import { mapEvent } from './mapping.js'
import { locatorsOf } from './store/links.js'
import type { Job, LinkRequest } from './store/types.js'
import { buildSubscribeBody, contactIdOf } from './subscribe-contact.js'

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
 * Builds the call a job needs: Generate event v2 for an event, Subscribe
 * contact for a subscribe. Building throws a MappingError when eSputnik
 * would refuse the body, so no call is made for it; the returned function
 * makes the call when the pacer allows, and throws an UpstreamError on failure.
 */
export function prepareDelivery(job: Job, o: DeliverOptions): () => Promise<Delivered> {
  if (job.kind == 'subscribe') {
    const request = job.subscribe
    const body = buildSubscribeBody(request)
    return async () => {
      const reply = await o.client.subscribeContact(body)
      return { link: { locators: locatorsOf(request, contactIdOf(reply)), since: request.ts } }
    }
  }
  const body = mapEvent(job.event, job.locators ?? {}, {
    ...(job.locators ? {} : { anonymousKey: job.visitor }),
    occurredAt: job.replay && o.replayOccurredAt,
  })
  return async () => {
    await o.client.generateEvent(body)
    return {}
  }
}

/** For logs and dead letters: the event type, or `subscribe`. */
export const jobType = (job: Job): string => (job.kind == 'subscribe' ? 'subscribe' : job.event.type)
