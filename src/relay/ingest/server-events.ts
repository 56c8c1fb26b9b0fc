import type { FastifyInstance } from 'fastify'
import { parseServerEvents, type ServerEvent } from '../../wire/server-events.js'
import { PATHS, type AnyWireEvent } from '../../wire/types.js'
import type { ServerContact, ServerEventsResponse } from '../../wire/server-types.js'
import { pastBefore } from '../esputnik/past-events.js'
import type { NewEvents } from '../store/types.js'
import type { IngestOptions } from './options.js'
import { keepSendable } from './sendable.js'
import { requireServerToken } from './server-auth.js'

/** 500 events of a few hundred bytes, and room for bigger ones; one event may not pass 20 KB upstream anyway. */
export const MAX_SERVER_EVENTS_BYTES = 4 * 1024 * 1024

/** The events of one request that are stored together: one visitor's, or one contact's. */
interface Group {
  target: { visitor: string } | { contact: ServerContact }
  events: AnyWireEvent[]
}

function groupByTarget(events: ServerEvent[]): Group[] {
  const groups = new Map<string, Group>()
  for (const { event, target } of events) {
    const key = 'visitor' in target ? `visitor:${target.visitor}` : `contact:${JSON.stringify(target.contact)}`
    let group = groups.get(key)
    if (!group) groups.set(key, (group = { target, events: [] }))
    group.events.push(event)
  }
  return [...groups.values()]
}

/**
 * `POST /v1/server/events` from the shop's backend (`Authorization: Bearer
 * <SERVER_TOKEN>`, JSON, no CORS): events the browser never sees (a payment
 * confirmed after a redirect, a refund). An event with `visitorId` follows
 * that visitor: held until it is linked, then joined like its browsing; one
 * with a contact's identifiers is queued for that contact at once. Ids are
 * deduplicated together with the browser's events. Answered 202 once the
 * accepted events are committed, each event in order: accepted (`held` or
 * not) or refused with the reason.
 */
export async function serverEventsRoute(app: FastifyInstance, o: IngestOptions & { serverToken: string }) {
  requireServerToken(app, o.serverToken)
  app.post<{ Body: unknown }>(PATHS.serverEvents, { bodyLimit: MAX_SERVER_EVENTS_BYTES }, async (request, reply) => {
    const parsed = parseServerEvents(request.body) // a ValidationError of the envelope becomes 400
    const { events: sendable, refused: unsendable } = keepSendable(parsed.events.map((e) => e.event))
    const kept = new Set(sendable)
    const tooBig = new Map(unsendable.map((r) => [r.id, r.reason]))
    const answers: ServerEventsResponse['events'] = []
    for (const r of parsed.refused) answers[r.index] = { id: r.id, accepted: false, reason: r.reason }
    for (const e of parsed.events) if (!kept.has(e.event)) answers[e.index] = { id: e.event.id, accepted: false, reason: tooBig.get(e.event.id)! }

    const receivedAt = o.now()
    const base = { receivedAt, anonymous: o.config.anonymousEvents, maxHeld: o.config.heldMaxPerVisitor, pastBefore: pastBefore(o.config, receivedAt) }
    const held = new Set<AnyWireEvent>()
    let queued = 0
    for (const group of groupByTarget(parsed.events.filter((e) => kept.has(e.event)))) {
      // A contact's events have no visitor ('' is the store's mark for them); a visitor's go where its links say.
      const batch: NewEvents =
        'visitor' in group.target ? { ...base, visitor: group.target.visitor, events: group.events } : { ...base, visitor: '', contact: group.target.contact, events: group.events }
      const result = await o.store.insertEvents(batch)
      o.metrics.duplicates.inc(result.duplicates)
      o.metrics.held.inc(result.held)
      o.metrics.queued.inc(result.queued)
      o.metrics.heldDropped.inc({ reason: 'cap' }, result.dropped)
      queued += result.queued
      // A visitor's events are all held or all not: held while it has no link at all (store/decisions.ts).
      if (result.held) group.events.forEach((event) => held.add(event))
    }
    for (const e of parsed.events) if (kept.has(e.event)) answers[e.index] = { id: e.event.id, accepted: true, held: held.has(e.event) }
    if (queued) o.onQueued()

    const rejected = answers.flatMap((a) => (a.accepted ? [] : [{ id: a.id, reason: a.reason }]))
    o.metrics.accepted.inc(sendable.length)
    o.metrics.rejected.inc(rejected.length)
    request.log.info({ events: sendable.length, rejected: rejected.length, held: held.size }, "events from the shop's backend")
    const answer: ServerEventsResponse = { accepted: sendable.length, rejected, events: answers }
    return reply.code(202).send(answer)
  })
}
