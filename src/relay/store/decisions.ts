import { isOrderEventType } from '../../wire/orders.js'
import type { AnyWireEvent } from '../../wire/types.js'
import { MAX_PAST_EVENTS } from '../esputnik/past-events.js'
import { answered, type EventInsert, type Statements, type Work } from './dialect.js'
import { isSameLink, pickLink } from './links.js'
import { insertBrowserOrders, noteCarts } from './orders.js'
import { toLink } from './rows.js'
import { releaseTelegramTokens } from './telegram.js'
import type { InsertResult, Link, LinkResult, NewEvents, NewLink, Settlement, SettleResult } from './types.js'

/**
 * What to insert, hold, link, release and settle: the Store's decisions,
 * written once for every database (see dialect.ts for how one generator runs
 * on SQLite and on PostgreSQL). Each runs inside one transaction.
 */

function* readLinks(s: Statements, visitor: string): Work<Link[]> {
  return (yield* answered(s.links(visitor))).map(toLink)
}

/** Ts before which nothing is a past job: every event's ts is after it. */
const NO_PAST = 0

/** Held or queued, for which contact, replayed or not: decided by the links in force at the event's ts. */
function toInsert(event: AnyWireEvent, links: Link[], batch: NewEvents): EventInsert {
  const link = pickLink(links, event.ts)
  const state = link || batch.anonymous == 'forward' ? 'queued' : 'held'
  // Anonymous history that arrives after the first link is replayed like held history.
  const replay = Boolean(link && event.ts < links[0]!.since)
  const queuedAt = state == 'queued' ? batch.receivedAt : null
  return {
    id: event.id,
    state,
    payload: JSON.stringify(event),
    locators: link ? JSON.stringify(link.locators) : null,
    replay,
    past: replay && event.ts < (batch.pastBefore ?? NO_PAST),
    queuedAt,
    due: replay ? null : queuedAt,
    ts: event.ts,
  }
}

/**
 * Makes the visitor's next replay step due, unless one is under way (a
 * replay job is due: in flight, or waiting for a retry). Past jobs go first,
 * as many as one Past events call takes, earliest ts first; then the others
 * one at a time in ts order, so a workflow sees them in the order they
 * happened. The caller holds the visitor's lock.
 */
export function* promote(s: Statements, visitor: string, now: number): Work<void> {
  const { due, past } = yield* answered(s.replayState(visitor))
  if (due) return
  yield* answered(past ? s.makeReplayDue(visitor, true, MAX_PAST_EVENTS, now) : s.makeReplayDue(visitor, false, 1, now))
}

/**
 * The links are read under the visitor's lock, inside the insert's
 * transaction, so an event is never held after its visitor was linked (the
 * link's release would miss it). Events for a named contact need neither.
 */
export function* insertEvents(s: Statements, batch: NewEvents): Work<InsertResult> {
  const { visitor, contact } = batch
  if (!contact) yield* answered(s.lockVisitors([visitor]))
  const links = contact ? [{ visitor, locators: contact, since: NO_PAST, linkedAt: batch.receivedAt }] : yield* readLinks(s, visitor)
  // The browser's orders are jobs of their own kind, keyed by orderId and status (store/orders.ts).
  const orders = batch.events.filter((event) => isOrderEventType(event.type))
  const events = orders.length ? batch.events.filter((event) => !isOrderEventType(event.type)) : batch.events
  const rows = events.map((event) => toInsert(event, links, batch))
  const fresh = yield* answered(s.insertEvents(visitor, batch.receivedAt, rows))
  const result = { inserted: 0, duplicates: 0, held: 0, queued: 0, dropped: 0 }
  let replays = 0
  const count = (isFresh: boolean | undefined, state: 'held' | 'queued', replay: boolean) => {
    if (!isFresh) {
      result.duplicates++
    } else {
      result[state]++
      if (replay) replays++
    }
  }
  rows.forEach((row, i) => count(fresh[i], row.state, row.replay))
  for (const o of yield* insertBrowserOrders(s, visitor, orders, links, batch.receivedAt)) count(o.fresh, o.held ? 'held' : 'queued', o.replay)
  if (!contact) yield* noteCarts(s, visitor, events, batch.receivedAt)
  if (replays) yield* promote(s, visitor, batch.receivedAt)
  result.inserted = result.held + result.queued
  if (result.held && batch.maxHeld) {
    const excess = (yield* answered(s.countHeld(visitor))) - batch.maxHeld
    if (excess > 0) result.dropped = yield* answered(s.dropHeld(visitor, excess))
  }
  return result
}

/** Links and releases; the caller holds the visitor's lock. */
function* link(s: Statements, l: NewLink): Work<LinkResult> {
  let links = yield* readLinks(s, l.visitor)
  const changed = !isSameLink(pickLink(links, l.since)?.locators, l.locators)
  if (changed) {
    yield* answered(s.insertLink(l.visitor, l.since, JSON.stringify(l.locators), l.at))
    links = yield* readLinks(s, l.visitor)
  }
  // Events are held only while a visitor has no link at all, so they are all its first contact's history.
  const first = JSON.stringify(links[0]!.locators)
  const released = yield* answered(s.releaseHeld(l.visitor, first, l.heldAfter, l.at, l.pastBefore ?? NO_PAST))
  if (released) yield* promote(s, l.visitor, l.at)
  // Telegram tokens held for this visitor go to the contact it belongs to now.
  const tokens = yield* releaseTelegramTokens(s, l.visitor, links.at(-1)!.locators, l.heldAfter, l.at)
  return { changed, released, ...(tokens ? { tokens } : {}) }
}

export function* linkVisitor(s: Statements, l: NewLink): Work<LinkResult> {
  yield* answered(s.lockVisitors([l.visitor]))
  return yield* link(s, l)
}

type Done = Extract<Settlement, { outcome: 'sent' | 'dead' }>
const isDone = (s: Settlement): s is Done => s.outcome == 'sent' || s.outcome == 'dead'

export function* settle(s: Statements, list: Settlement[]): Work<SettleResult> {
  const result = { linked: 0, released: 0 }
  const done = list.filter(isDone)
  const jobs = new Map<string, { visitor: string; replay: boolean | number }>()
  if (done.length) for (const job of yield* answered(s.jobsOf(done.map((d) => d.id)))) jobs.set(job.id, job)
  // Every visitor whose replay or link this may touch, locked up front: lockVisitors takes them all in
  // one sorted order, so two settles never wait on each other in a cycle.
  const touched = done.filter((d) => jobs.get(d.id)?.replay || (d.outcome == 'sent' && d.link))
  yield* answered(s.lockVisitors(touched.map((d) => jobs.get(d.id)!.visitor)))
  // Visitors whose replay may go on, promoted once each after the loop: a Past events call settles many of one visitor's jobs.
  const replays = new Map<string, number>()
  for (const d of list) {
    if (d.outcome == 'retry') yield* answered(s.retry(d))
    else if (d.outcome == 'release') yield* answered(s.release(d.id))
    else {
      const job = jobs.get(d.id)
      const changes = yield* answered(d.outcome == 'sent' ? s.markSent(d.id, d.at) : s.markDead(d))
      if (!job || !changes) continue
      if (job.replay) replays.set(job.visitor, Math.max(d.at, replays.get(job.visitor) ?? 0))
      if (d.outcome != 'sent' || !d.link) continue
      // In the same transaction as the ack, so a crash cannot leave a sent subscribe without its link.
      const linked = yield* link(s, { ...d.link, visitor: job.visitor, at: d.at })
      result.linked += Number(linked.changed)
      result.released += linked.released
    }
  }
  // The next step of these visitors' replay may go now.
  for (const [visitor, at] of replays) yield* promote(s, visitor, at)
  return result
}
